-- description: Models per parameter-size bucket (billions, lower bound included) and the best average in each, with the model that has it (ties: model id). Models without a parameter count are left out.
-- deps: leaderboard_models
-- audit: unique(bucket); not_null(bucket); minimum(models=0)
WITH buckets(bucket, position, min_params_b, max_params_b) AS (
    VALUES ('< 1.5B', 1, 0.0, 1.5), ('1.5-4B', 2, 1.5, 4.0), ('4-9B', 3, 4.0, 9.0), ('9-15B', 4, 9.0, 15.0),
           ('15-35B', 5, 15.0, 35.0), ('35-75B', 6, 35.0, 75.0), ('>= 75B', 7, 75.0, NULL)
),
models AS (SELECT model, average, params_b FROM leaderboard_models WHERE month = $month)
SELECT b.bucket, b.position, CAST(b.min_params_b AS DOUBLE) AS min_params_b, CAST(b.max_params_b AS DOUBLE) AS max_params_b, count(m.model) AS models,
       max(m.average) AS best_average, first(m.model ORDER BY m.average DESC, m.model) AS best_model
FROM buckets AS b
LEFT JOIN models AS m ON m.params_b >= b.min_params_b AND (b.max_params_b IS NULL OR m.params_b < b.max_params_b)
WHERE EXISTS (SELECT 1 FROM models)
GROUP BY ALL

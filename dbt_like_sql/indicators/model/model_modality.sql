-- description: Model modality coverage: number of large models per modality.
-- table: indicator_values
-- deps: model_repos_by_view, org_universe
-- outputs: indicators/model/num_vision, indicators/model/num_language, indicators/model/num_speech, indicators/model/num_3d,
-- outputs: indicators/model/num_multimodal, indicators/model/num_protein, indicators/model/num_vector
-- audit: unique(view, dimension, indicator, org); not_null(org, value); minimum(value=0)
WITH catalogue(indicator, position, modality) AS (
    VALUES ('num_vision', 9, 'Vision'), ('num_language', 10, 'Language'), ('num_speech', 11, 'Speech'), ('num_3d', 12, '3D'),
           ('num_multimodal', 13, 'Multimodal'), ('num_protein', 14, 'Protein'), ('num_vector', 15, 'Vector')
),
per_modality AS (SELECT view, org, modality, count(*) AS n FROM model_repos_by_view WHERE month = $month GROUP BY ALL),
grid AS (
    SELECT v.view, u.org, c.* FROM (VALUES ('monthly'), ('accumulated')) AS v(view) CROSS JOIN org_universe AS u CROSS JOIN catalogue AS c
    WHERE u.month = $month
)
SELECT g.view, 'model' AS dimension, g.indicator, g.position, g.org, CAST(coalesce(m.n, 0) AS DOUBLE) AS value
FROM grid AS g
LEFT JOIN per_modality AS m ON m.view = g.view AND m.org = g.org AND m.modality = g.modality

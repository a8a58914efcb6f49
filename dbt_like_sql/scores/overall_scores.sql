-- description: The overall influence score: sum over dimensions of weight / log2(dimension rank + 1), in dimension order (data, model, infra, eval), and its dense rank. Organisations ranked in all four dimensions only.
-- deps: dimension_rankings, scoring_profile
WITH components AS (
    SELECT r.view, r.org,
           1.0::DOUBLE / log2(max(r.rank) FILTER (WHERE r.dimension = 'data') + 1) AS data,
           1.0::DOUBLE / log2(max(r.rank) FILTER (WHERE r.dimension = 'model') + 1) AS model,
           1.0::DOUBLE / log2(max(r.rank) FILTER (WHERE r.dimension = 'infra') + 1) AS infra,
           1.0::DOUBLE / log2(max(r.rank) FILTER (WHERE r.dimension = 'eval') + 1) AS eval,
           count(DISTINCT r.dimension) AS dimensions
    FROM dimension_rankings AS r
    WHERE r.month = $month
    GROUP BY ALL
),
weights AS (
    SELECT max(overall_weight) FILTER (WHERE dimension = 'data') AS w_data,
           max(overall_weight) FILTER (WHERE dimension = 'model') AS w_model,
           max(overall_weight) FILTER (WHERE dimension = 'infra') AS w_infra,
           max(overall_weight) FILTER (WHERE dimension = 'eval') AS w_eval
    FROM scoring_profile WHERE month = $month
),
scored AS (
    SELECT c.view, c.org, c.data, c.model, c.infra, c.eval,
           c.data * w.w_data + c.model * w.w_model + c.infra * w.w_infra + c.eval * w.w_eval AS score
    FROM components AS c CROSS JOIN weights AS w
    WHERE c.dimensions = 4
)
SELECT *, dense_rank() OVER (PARTITION BY view ORDER BY score DESC) AS rank
FROM scored

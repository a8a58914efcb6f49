-- share = normalised * weight / (weights of the indicators used), so the shares add up to the dimension score.
-- value_rank: where the organisation's raw value stands in the column (1 = it set the maximum).
WITH column_ranks AS (
    SELECT n.*, dense_rank() OVER (PARTITION BY n.dimension, n.indicator ORDER BY n.value DESC) AS value_rank
    FROM normalised_indicators AS n
    WHERE n.month = $month AND n.view = $view
),
curated AS (
    SELECT DISTINCT 'infra' AS dimension, snapshot_date FROM curated_infra_indicators WHERE month = $month
    UNION ALL
    SELECT DISTINCT 'eval', snapshot_date FROM curated_eval_indicators WHERE month = $month
),
constants AS (SELECT DISTINCT constant FROM registry_org_constants WHERE month = $month)
SELECT n.dimension, n.indicator, n.position, n.value, n.value_rank, n.column_max, n.max_org, n.column_min, n.normalised, n.weight,
       n.normalised * n.weight / sum(n.weight) FILTER (WHERE n.normalised IS NOT NULL) OVER (PARTITION BY n.dimension) AS share,
       CASE
           WHEN c.snapshot_date IS NOT NULL THEN n.dimension || '-summary.csv of ' || strftime(c.snapshot_date, '%Y-%m-%d')
           WHEN k.constant IS NOT NULL THEN 'registry constant'
           ELSE 'repositories'
       END AS source
FROM column_ranks AS n
JOIN scoring_profile AS p ON p.month = $month AND p.dimension = n.dimension
LEFT JOIN curated AS c ON c.dimension = n.dimension
LEFT JOIN constants AS k ON k.constant = n.indicator
WHERE n.org = $org AND (n.dimension = $dimension OR $dimension IS NULL)
ORDER BY p.dimension_position, n.position

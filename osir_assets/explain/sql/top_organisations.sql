-- One row per organisation: overall rank and score, and per dimension its rank and the indicator that adds most to it.
WITH top_orgs AS (
    SELECT org, org_position, rank, score, delta_rank FROM influence_scores
    WHERE month = $month AND view = $view ORDER BY rank, org_position LIMIT $limit
),
best_indicator AS (
    SELECT dimension, org, arg_max(indicator, normalised * weight) AS indicator
    FROM normalised_indicators WHERE month = $month AND view = $view GROUP BY ALL
),
per_dimension AS (
    SELECT r.org, r.dimension, '#' || r.rank || ' (' || coalesce(b.indicator, '-') || ')' AS summary
    FROM dimension_rankings AS r LEFT JOIN best_indicator AS b USING (dimension, org)
    WHERE r.month = $month AND r.view = $view
)
SELECT t.rank, t.org, round(t.score, 4) AS score, t.delta_rank AS delta,
       max(d.summary) FILTER (WHERE d.dimension = 'data') AS data,
       max(d.summary) FILTER (WHERE d.dimension = 'model') AS model,
       max(d.summary) FILTER (WHERE d.dimension = 'infra') AS infra,
       max(d.summary) FILTER (WHERE d.dimension = 'eval') AS eval
FROM top_orgs AS t LEFT JOIN per_dimension AS d USING (org)
GROUP BY t.rank, t.org, t.org_position, t.score, t.delta_rank
ORDER BY t.rank, t.org_position

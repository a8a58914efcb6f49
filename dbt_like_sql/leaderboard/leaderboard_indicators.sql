-- description: Leaderboard indicators of the model dimension (optional: scored only when the scoring profile lists them in optional_indicators; the published method has none): per ranked organisation, its models on the Open LLM Leaderboard, their best average, the community's derivatives of them, and the community's best improvement of one of them (points, 0 when none).
-- table: indicator_values
-- deps: leaderboard_organisations, org_universe
-- outputs: indicators/model/leaderboard_models, indicators/model/leaderboard_best_average, indicators/model/leaderboard_derivatives, indicators/model/leaderboard_improvement
-- audit: unique(view, dimension, indicator, org); not_null(org, value); minimum(value=0)
-- The leaderboard is one snapshot, so the accumulated view shows the same values as the monthly one.
WITH catalogue(indicator, position) AS (
    VALUES ('leaderboard_models', 20), ('leaderboard_best_average', 21), ('leaderboard_derivatives', 22), ('leaderboard_improvement', 23)
)
SELECT v.view, 'model' AS dimension, c.indicator, c.position, u.org,
       CAST(coalesce(CASE c.indicator
           WHEN 'leaderboard_models' THEN l.models
           WHEN 'leaderboard_best_average' THEN l.best_average
           WHEN 'leaderboard_derivatives' THEN l.community_derivatives
           ELSE greatest(l.community_improvement, 0)
       END, 0) AS DOUBLE) AS value
FROM org_universe AS u
CROSS JOIN (VALUES ('monthly'), ('accumulated')) AS v(view)
CROSS JOIN catalogue AS c
LEFT JOIN leaderboard_organisations AS l ON l.month = u.month AND l.org = u.org
WHERE u.month = $month

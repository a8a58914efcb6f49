-- description: Contributor activity: likes and community discussions (issues) over all the organisation's counted models.
-- table: indicator_values
-- deps: model_repos_by_view, org_universe
-- outputs: indicators/model/likes, indicators/model/issue
-- audit: unique(view, dimension, indicator, org); not_null(org, value); minimum(value=0)
WITH totals AS (
    SELECT view, org, sum(likes) AS likes, sum(community) AS issue FROM model_repos_by_view WHERE month = $month GROUP BY ALL
)
SELECT v.view, 'model' AS dimension, i.indicator, i.position, u.org,
       CAST(coalesce(CASE i.indicator WHEN 'likes' THEN t.likes ELSE t.issue END, 0) AS DOUBLE) AS value
FROM org_universe AS u
CROSS JOIN (VALUES ('monthly'), ('accumulated')) AS v(view)
CROSS JOIN (VALUES ('likes', 16), ('issue', 17)) AS i(indicator, position)
LEFT JOIN totals AS t ON t.view = v.view AND t.org = u.org
WHERE u.month = $month

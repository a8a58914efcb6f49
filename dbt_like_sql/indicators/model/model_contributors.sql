-- description: Contributor activity on GitHub (optional: scored only when the scoring profile enables model/active_contributors; the published method has no such indicator): people, bots excluded, who committed in the month to the organisation's registered model repositories, summed over repositories.
-- table: indicator_values
-- deps: github_repos, org_universe
-- outputs: indicators/model/active_contributors
-- audit: unique(view, dimension, indicator, org); not_null(org, value); minimum(value=0)
-- A person active in two repositories counts twice: the collector reports distinct contributors per repository.
-- Commits are counted per calendar month, so the accumulated view shows the same value as the monthly one.
WITH totals AS (
    SELECT org, sum(active_contributors) AS contributors
    FROM github_repos
    WHERE month = $month AND purpose = 'model'
    GROUP BY ALL
)
SELECT v.view, 'model' AS dimension, 'active_contributors' AS indicator, 19 AS position, u.org,
       CAST(coalesce(t.contributors, 0) AS DOUBLE) AS value
FROM org_universe AS u
CROSS JOIN (VALUES ('monthly'), ('accumulated')) AS v(view)
LEFT JOIN totals AS t ON t.org = u.org
WHERE u.month = $month

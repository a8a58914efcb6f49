-- description: Models per architecture on the month's leaderboard: an architecture with at least 5% of the models is named, the others (and a missing architecture) count as 'other'.
-- deps: leaderboard_models
-- audit: unique(architecture); not_null(architecture); between(share=0:1)
WITH counted AS (
    SELECT architecture, count(*) AS models, count(*) / sum(count(*)) OVER () AS share
    FROM leaderboard_models
    WHERE month = $month
    GROUP BY architecture
),
grouped AS (
    SELECT CASE WHEN share >= 0.05 AND architecture IS NOT NULL THEN architecture ELSE 'other' END AS architecture, sum(models) AS models
    FROM counted
    GROUP BY 1
)
SELECT architecture, CAST(models AS BIGINT) AS models, models / sum(models) OVER () AS share FROM grouped

-- description: Models per architecture per week of submission, architectures grouped as in leaderboard_architectures (under 5% of the month's models: 'other').
-- deps: leaderboard_models, leaderboard_architectures
-- audit: unique(week, architecture); not_null(week, architecture); minimum(models=1)
SELECT CAST(date_trunc('week', m.submission_date) AS DATE) AS week, coalesce(a.architecture, 'other') AS architecture, count(*) AS models
FROM leaderboard_models AS m
LEFT JOIN leaderboard_architectures AS a ON a.month = m.month AND a.architecture = m.architecture
WHERE m.month = $month AND m.submission_date IS NOT NULL
GROUP BY ALL

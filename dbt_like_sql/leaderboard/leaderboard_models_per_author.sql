-- description: Models per author on the month's leaderboard (the concentration histogram), largest first (ties: author id, ordinal).
-- deps: leaderboard_models
-- audit: unique(author); not_null(author); minimum(models=1)
SELECT author, count(*) AS models, row_number() OVER (ORDER BY count(*) DESC, author) AS position
FROM leaderboard_models
WHERE month = $month
GROUP BY author

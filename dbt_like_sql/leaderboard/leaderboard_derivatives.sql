-- description: Derivatives per base model: the month's models whose base model is B, listed by count (descending), then base model id (ordinal, case-sensitive). The base need not be on the leaderboard itself.
-- deps: leaderboard_models
-- audit: unique(base_model); not_null(base_model); minimum(derivatives=1)
SELECT base_model, count(*) AS derivatives, row_number() OVER (ORDER BY count(*) DESC, base_model) AS position
FROM leaderboard_models
WHERE month = $month AND base_model IS NOT NULL
GROUP BY base_model

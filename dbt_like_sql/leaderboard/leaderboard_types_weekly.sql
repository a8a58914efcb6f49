-- description: Models per type (pretrained, continuously pretrained, fine-tuned, chat, merge, multimodal, other) per week of submission.
-- deps: leaderboard_models
-- audit: unique(week, type); not_null(week, type); minimum(models=1)
SELECT CAST(date_trunc('week', submission_date) AS DATE) AS week, type, count(*) AS models
FROM leaderboard_models
WHERE month = $month AND submission_date IS NOT NULL
GROUP BY ALL

-- description: How much the community improved each base model B that has its own row: the best average among B's derivatives that are not merges (merged false and type not 'merge') minus B's average, in points and in percent of B's average; derivatives counts all of B's derivatives.
-- deps: leaderboard_models
-- audit: unique(base_model); not_null(base_model, base_average, best_average, improvement)
WITH models AS (SELECT * FROM leaderboard_models WHERE month = $month),
derivative_counts AS (SELECT base_model, count(*) AS derivatives FROM models WHERE base_model IS NOT NULL GROUP BY base_model),
-- Merges are left out: what a merge adds cannot be attributed to one of its bases (seed 003, section IV).
best AS (
    SELECT base_model, max(average) AS best_average, first(model ORDER BY average DESC, model) AS best_derivative
    FROM models
    WHERE base_model IS NOT NULL AND NOT coalesce(merged, false) AND type <> 'merge' AND average IS NOT NULL
    GROUP BY base_model
)
SELECT b.model AS base_model, d.derivatives, b.average AS base_average, x.best_derivative, x.best_average,
       x.best_average - b.average AS improvement, 100 * (x.best_average - b.average) / nullif(b.average, 0) AS improvement_pct,
       b.submission_date AS base_submission_date,
       row_number() OVER (ORDER BY d.derivatives DESC, b.model) AS position
FROM models AS b
JOIN derivative_counts AS d ON d.base_model = b.model
JOIN best AS x ON x.base_model = b.model
WHERE b.average IS NOT NULL

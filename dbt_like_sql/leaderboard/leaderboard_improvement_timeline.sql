-- description: Improvement over time (seed 003, figure 12): per base model with its own row and submission date, every non-merge derivative that beat the base and every derivative submitted before it, with the days since the base's submission, its improvement in percent, and that percent divided by ln(1 + the base's derivatives) (popular bases are harder to improve).
-- deps: leaderboard_models, leaderboard_improvement
-- audit: unique(base_model, derivative); not_null(base_model, derivative, days_since_base, improvement_pct)
WITH bases AS (
    SELECT base_model, derivatives, base_average, base_submission_date
    FROM leaderboard_improvement
    WHERE month = $month AND base_submission_date IS NOT NULL
),
candidates AS (
    SELECT b.base_model, b.derivatives, b.base_average, m.model, m.average,
           date_diff('day', b.base_submission_date, m.submission_date) AS days_since_base,
           max(m.average) OVER (PARTITION BY b.base_model ORDER BY m.submission_date, m.model ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_best
    FROM bases AS b
    JOIN leaderboard_models AS m ON m.month = $month AND m.base_model = b.base_model
    WHERE NOT coalesce(m.merged, false) AND m.type <> 'merge' AND m.submission_date IS NOT NULL AND m.average IS NOT NULL
)
SELECT base_model, model AS derivative, days_since_base, average, average - base_average AS improvement,
       100 * (average - base_average) / nullif(base_average, 0) AS improvement_pct,
       100 * (average - base_average) / nullif(base_average, 0) / ln(1 + derivatives) AS improvement_pct_per_log_derivatives
FROM candidates
WHERE average > greatest(base_average, coalesce(earlier_best, base_average))

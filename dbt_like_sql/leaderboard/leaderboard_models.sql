-- description: The month's Open LLM Leaderboard, one row per model id: rows flagged true are dropped, then per model the row with the highest average (ties: the later submission date, then the first row of the snapshot). Every leaderboard figure counts these rows.
-- deps: open_llm_leaderboard
-- audit: unique(model); not_null(model, author, type); between(average=0:100)
-- Picking each model's row by its position (source_row, unique in a month) and joining back is about twice as
-- fast on a million rows as a window over every column; a missing average or date sorts last.
WITH chosen AS (
    SELECT arg_min(source_row, (average IS NULL, -coalesce(average, 0), submission_date IS NULL, -coalesce(epoch(submission_date), 0), source_row)) AS source_row
    FROM leaderboard_entries
    WHERE month = $month AND NOT coalesce(flagged, false)
    GROUP BY model
)
SELECT model, author, average, ifeval, bbh, math_lvl5, gpqa, musr, mmlu_pro, arc, hellaswag, mmlu, truthfulqa, winogrande, gsm8k,
       type, architecture, precision, weight_type, license, params_b, likes, merged, moe, flagged, official_provider, available_on_hub,
       upload_date, submission_date, generation, base_model
FROM leaderboard_entries
JOIN chosen USING (source_row)
WHERE month = $month

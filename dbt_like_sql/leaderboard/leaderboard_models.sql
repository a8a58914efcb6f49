-- description: The month's Open LLM Leaderboard, one row per model id: rows flagged true are dropped, then per model the row with the highest average (ties: the later submission date, then the first row of the snapshot). Every leaderboard figure counts these rows.
-- deps: open_llm_leaderboard
-- audit: unique(model); not_null(model, author, type); between(average=0:100)
SELECT model, author, average, ifeval, bbh, math_lvl5, gpqa, musr, mmlu_pro, arc, hellaswag, mmlu, truthfulqa, winogrande, gsm8k,
       type, architecture, precision, weight_type, license, params_b, likes, merged, moe, flagged, official_provider, available_on_hub,
       upload_date, submission_date, generation, base_model
FROM leaderboard_entries
WHERE month = $month AND NOT coalesce(flagged, false)
QUALIFY row_number() OVER (PARTITION BY model ORDER BY average DESC NULLS LAST, submission_date DESC NULLS LAST, source_row) = 1

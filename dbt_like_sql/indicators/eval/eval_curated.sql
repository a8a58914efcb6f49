-- description: Evaluation-platform indicators, hand-curated per month (leaderboards, evaluated models, evaluation datasets, methods and tools).
-- table: indicator_values
-- deps: curated_eval_indicators, org_universe
-- outputs: indicators/eval/num_leaderboards, indicators/eval/num_evaluated_models, indicators/eval/num_evaluation_datasets,
-- outputs: indicators/eval/num_evaluation_methods, indicators/eval/num_evaluation_tools
-- audit: unique(view, dimension, indicator, org); not_null(org, value); minimum(value=0)
SELECT v.view, 'eval' AS dimension, i.indicator, i.position, u.org, coalesce(c.value, 0.0) AS value
FROM org_universe AS u
JOIN (SELECT DISTINCT indicator, position FROM curated_eval_indicators WHERE month = $month) AS i ON true
CROSS JOIN (VALUES ('monthly'), ('accumulated')) AS v(view)
LEFT JOIN curated_eval_indicators AS c ON c.month = u.month AND c.org = u.org AND c.indicator = i.indicator
WHERE u.month = $month

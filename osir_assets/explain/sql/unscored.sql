-- Optional indicators (GitHub contributors, the Open LLM Leaderboard) computed for the month but left out of its scores by the profile.
SELECT v.dimension, v.indicator, v.value
FROM indicator_values AS v
JOIN scoring_profile AS p ON p.month = v.month AND p.dimension = v.dimension
WHERE v.month = $month AND v.view = $view AND v.org = $org AND (v.dimension = $dimension OR $dimension IS NULL)
  AND list_contains(p.unscored_indicators, v.indicator)
ORDER BY p.dimension_position, v.position

-- description: Every indicator normalised across the month's ranked organisations: value / column max (minimum anchored at 0) or (value - min) / (max - min), as the scoring profile says. An all-equal column under the observed minimum, or an all-zero column, is left out (NULL) rather than divided by zero.
-- deps: indicators/*, scoring_profile
-- audit: unique(view, dimension, indicator, org); between(normalised=0:1)
WITH stats AS (
    SELECT view, dimension, indicator,
           -- The organisation that set the maximum; on a tie the first by name, so that a rerun names the same one.
           max(value) AS column_max, min(value) AS column_min, first(org ORDER BY value DESC, org) FILTER (WHERE value IS NOT NULL) AS max_org
    FROM indicator_values WHERE month = $month
    GROUP BY ALL
)
SELECT v.view, v.dimension, v.indicator, v.position, v.org, v.value,
       s.column_max, s.column_min, s.max_org,
       CASE p.normalisation
           WHEN 'zero' THEN v.value / nullif(s.column_max, 0)
           ELSE (v.value - s.column_min) / nullif(s.column_max - s.column_min, 0)
       END AS normalised,
       CASE p.method WHEN 'mean' THEN 1.0::DOUBLE ELSE coalesce(w.weight, 0.0) END AS weight
FROM indicator_values AS v
JOIN stats AS s USING (view, dimension, indicator)
JOIN scoring_profile AS p ON p.month = v.month AND p.dimension = v.dimension
LEFT JOIN scoring_weights AS w ON w.month = v.month AND w.dimension = v.dimension AND w.indicator = v.indicator
WHERE v.month = $month
  -- Optional indicators (e.g. GitHub contributors) are computed every month but scored only when the profile
  -- enables them (ScoringProfile.optional_indicators); the published profile enables none.
  AND NOT coalesce(list_contains(p.unscored_indicators, v.indicator), false)

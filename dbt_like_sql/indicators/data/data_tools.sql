-- description: Data-processing tools: operators of the organisation's data-processing tools (a registry constant).
-- table: indicator_values
-- deps: registry_org_constants, org_universe
-- outputs: indicators/data/operators
-- audit: unique(view, dimension, indicator, org); not_null(org, value); minimum(value=0)
SELECT v.view, 'data' AS dimension, 'operators' AS indicator, 18 AS position, u.org, coalesce(c.value, 0.0) AS value
FROM org_universe AS u
CROSS JOIN (VALUES ('monthly'), ('accumulated')) AS v(view)
LEFT JOIN registry_org_constants AS c ON c.month = u.month AND c.org = u.org AND c.constant = 'operators'
WHERE u.month = $month

-- description: The organisations ranked this month, in table order: the rows of the curated infrastructure table in force.
-- deps: curated_infra_indicators
SELECT DISTINCT org, org_position
FROM curated_infra_indicators
WHERE month = $month

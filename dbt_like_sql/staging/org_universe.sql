-- description: The organisations ranked this month, in table order: the rows of the curated infrastructure table in force. Each must be a registered organisation.
-- deps: curated_infra_indicators, registry_accounts
-- audit: unique(org); not_null(org); true(registered=unresolved_organisations)
SELECT DISTINCT c.org, c.org_position,
       EXISTS (SELECT 1 FROM registry_accounts AS a WHERE a.month = c.month AND a.org = c.org) AS registered
FROM curated_infra_indicators AS c
WHERE c.month = $month

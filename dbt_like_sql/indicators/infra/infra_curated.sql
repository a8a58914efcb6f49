-- description: Infrastructure indicators, hand-curated per month (operator library, training frameworks, AI compiler, deep-learning framework, communication library). Only the columns published for the month count, in their published order.
-- table: indicator_values
-- deps: curated_infra_indicators, org_universe
-- outputs: indicators/infra/num_operators, indicators/infra/num_adapted_chips_operator_lib, indicators/infra/num_adapted_frameworks_operator_lib,
-- outputs: indicators/infra/support_heterogeneous_training_frameworks, indicators/infra/num_adapted_chips_frameworks, indicators/infra/support_lifecycle,
-- outputs: indicators/infra/num_adapted_frameworks_ai_compiler, indicators/infra/num_adapted_chips_ai_compiler, indicators/infra/deep_learning_framework,
-- outputs: indicators/infra/num_adapted_chips_communication_lib, indicators/infra/support_cross_chip_communication, indicators/infra/support_heterogeneous_training_communication_lib
-- audit: unique(view, dimension, indicator, org); not_null(org, value); minimum(value=0)
SELECT v.view, 'infra' AS dimension, c.indicator, c.position, c.org, c.value
FROM curated_infra_indicators AS c
JOIN org_universe AS u ON u.month = c.month AND u.org = c.org
CROSS JOIN (VALUES ('monthly'), ('accumulated')) AS v(view)
WHERE c.month = $month

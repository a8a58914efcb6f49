-- An indicator's contribution is its share of the dimension score; the ones that moved most, per dimension.
WITH shares AS (
    SELECT month, dimension, indicator, position, value, column_max, max_org,
           normalised * weight / sum(weight) FILTER (WHERE normalised IS NOT NULL) OVER (PARTITION BY month, dimension) AS share
    FROM normalised_indicators
    WHERE view = $view AND org = $org AND month IN ($from_month, $to_month)
),
compared AS (
    SELECT dimension, indicator, coalesce(a.position, b.position) AS position,
           a.value AS value_from, b.value AS value_to, a.column_max AS max_from, b.column_max AS max_to, b.max_org AS max_org_to,
           a.share AS share_from, b.share AS share_to, coalesce(b.share, 0) - coalesce(a.share, 0) AS share_change
    FROM (SELECT * FROM shares WHERE month = $from_month) AS a
    FULL JOIN (SELECT * FROM shares WHERE month = $to_month) AS b USING (dimension, indicator)
)
SELECT dimension, indicator, value_from, value_to, max_from, max_to, max_org_to, share_from, share_to, share_change,
       CASE
           WHEN value_from IS NULL THEN 'new indicator'
           WHEN value_to IS NULL THEN 'indicator dropped'
           WHEN value_from IS DISTINCT FROM value_to AND max_from IS DISTINCT FROM max_to THEN 'own value and column maximum'
           WHEN value_from IS DISTINCT FROM value_to THEN 'own value'
           WHEN max_from IS DISTINCT FROM max_to THEN 'column maximum'
           ELSE 'unchanged'
       END AS moved_by
FROM compared
QUALIFY row_number() OVER (PARTITION BY dimension ORDER BY abs(share_change) DESC, position) <= $top
ORDER BY dimension, abs(share_change) DESC

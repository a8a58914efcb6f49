-- Month-over-month anomalies of one platform snapshot, one row per offending repository (or account, or
-- organisation). Relations: incoming (the month's new rows), published (the same source, earlier months),
-- accounts (registered platform accounts), labels (registered labels: label_key, modality).
WITH current_rows AS (
    SELECT platform, account, name, org, record_no,
           CASE platform WHEN 'HuggingFace' THEN downloads_last_month ELSE total_downloads END AS counter
    FROM incoming
),
latest AS (  -- a repository listed twice counts with its last record, as baselines do
    SELECT platform, account, name, arg_max(counter, record_no) AS counter FROM current_rows GROUP BY ALL
),
previous_rows AS (
    SELECT platform, account, name, org, record_no,
           CASE platform WHEN 'HuggingFace' THEN downloads_last_month ELSE total_downloads END AS counter
    FROM published WHERE month = $previous_month
),
previous AS (
    SELECT platform, account, name, arg_max(counter, record_no) AS counter FROM previous_rows GROUP BY ALL
),
owned AS (
    SELECT r.*, coalesce(r.org, a.org) AS owner FROM current_rows AS r
    LEFT JOIN accounts AS a ON a.platform = r.platform AND a.account = r.account
),
previously_owned AS (
    SELECT coalesce(p.org, a.org) AS owner, count(*) AS repositories FROM previous_rows AS p
    LEFT JOIN accounts AS a ON a.platform = p.platform AND a.account = p.account
    GROUP BY ALL
),
labelled AS (  -- one pass over the labels for both label rules
    SELECT o.account || '/' || o.name AS repository, l.label_key IS NOT NULL AS has_label, l.modality
    FROM owned AS o LEFT JOIN labels AS l ON l.label_key = o.account || '/' || o.name
    WHERE o.owner IS NOT NULL
),
compared AS (
    SELECT l.platform, l.account || '/' || l.name AS repository, l.counter, p.counter AS previous_counter
    FROM latest AS l JOIN previous AS p USING (platform, account, name)
)
SELECT 'repeated_records' AS rule, account || '/' || name AS subject, count(*)::DOUBLE AS value, NULL::DOUBLE AS previous
FROM current_rows GROUP BY ALL HAVING count(*) > 1
UNION ALL
SELECT 'counter_not_collected', account || '/' || name, counter, NULL FROM current_rows WHERE counter = -1
UNION ALL
SELECT 'cumulative_total_decreased', repository, counter, previous_counter FROM compared
WHERE platform <> 'HuggingFace' AND counter >= 0 AND counter < previous_counter
UNION ALL
SELECT 'downloads_collapsed', repository, counter, previous_counter FROM compared
WHERE counter = 0 AND previous_counter >= $collapse_min
UNION ALL
SELECT 'downloads_jump', repository, counter, previous_counter FROM compared
WHERE previous_counter > 0 AND counter > $jump_factor * previous_counter AND counter >= $jump_min
UNION ALL
SELECT 'unmapped_accounts', account, count(*), NULL FROM owned
WHERE owner IS NULL GROUP BY ALL
UNION ALL
SELECT 'repo_count_halved', p.owner, coalesce(c.repositories, 0), p.repositories
FROM previously_owned AS p
LEFT JOIN (SELECT owner, count(*) AS repositories FROM owned GROUP BY ALL) AS c USING (owner)
WHERE p.owner IS NOT NULL AND coalesce(c.repositories, 0) < $drop_ratio * p.repositories
UNION ALL
SELECT 'label_coverage', repository, NULL, NULL FROM labelled WHERE NOT has_label
UNION ALL
SELECT 'junk_labels', repository, NULL, NULL FROM labelled WHERE modality IN ('null', '')

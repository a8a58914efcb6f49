-- Month-over-month anomalies of one platform snapshot, one row per offending repository (or account, or
-- organisation). Relations: incoming (the month's new rows), published (the same source, earlier months),
-- accounts (registered platform accounts), labels (registered labels: label_key, modality).
WITH current_rows AS (
    SELECT platform, account, name, org, record_no,
           CASE platform WHEN 'HuggingFace' THEN downloads_last_month ELSE total_downloads END AS counter
    FROM incoming
),
previous_rows AS (
    SELECT platform, account, name, org, record_no,
           CASE platform WHEN 'HuggingFace' THEN downloads_last_month ELSE total_downloads END AS counter
    FROM published WHERE month = $previous_month
),
-- One aggregation over both months gives each repository's records this month and last, and its
-- counter in each: the last record's (a repository listed twice counts with its last record, as
-- baselines do).
per_repository AS (
    SELECT platform, account, name,
           count(*) FILTER (WHERE this_month) AS records,
           count(*) FILTER (WHERE NOT this_month) AS previous_records,
           arg_max(counter, record_no) FILTER (WHERE this_month) AS counter,
           arg_max(counter, record_no) FILTER (WHERE NOT this_month) AS previous_counter
    FROM (
        SELECT platform, account, name, record_no, counter, true AS this_month FROM current_rows
        UNION ALL SELECT platform, account, name, record_no, counter, false FROM previous_rows
    )
    GROUP BY ALL
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
    SELECT platform, account || '/' || name AS repository, counter, previous_counter
    FROM per_repository WHERE records > 0 AND previous_records > 0
)
SELECT 'repeated_records' AS rule, account || '/' || name AS subject, records::DOUBLE AS value, NULL::DOUBLE AS previous
FROM per_repository WHERE records > 1
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

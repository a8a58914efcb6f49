-- description: Every model counted in any month up to this one, once per organisation and name: monthly downloads summed over those months, the other counters and labels as last seen.
-- deps: merged_model_repos, accumulated_model_repos[-1:-1]
-- columns: org VARCHAR, name VARCHAR, account VARCHAR, modality VARCHAR, downloads_last_month BIGINT, likes BIGINT, community BIGINT, descendants BIGINT, months_counted BIGINT, first_month DATE
-- Incremental: this month's rows are the latest earlier month's accumulated rows plus this month's merged rows,
-- so a backfill of a range reads the month before it and writes only the range (later months turn stale in
-- the UI instead of being rewritten). A repository seen this month takes this month's labels and counters
-- whole (NULL included); one not seen keeps what it had.
WITH previous AS (
    SELECT * FROM accumulated_model_repos
    WHERE month = (SELECT max(month) FROM accumulated_model_repos WHERE month < $month)
),
current AS (SELECT * FROM merged_model_repos WHERE month = $month)
SELECT coalesce(c.org, p.org) AS org, coalesce(c.name, p.name) AS name,
       CASE WHEN c.org IS NULL THEN p.account ELSE c.account END AS account,
       CASE WHEN c.org IS NULL THEN p.modality ELSE c.modality END AS modality,
       (coalesce(p.downloads_last_month, 0) + coalesce(c.downloads_last_month, 0))::BIGINT AS downloads_last_month,
       CASE WHEN c.org IS NULL THEN p.likes ELSE c.likes END AS likes,
       CASE WHEN c.org IS NULL THEN p.community ELSE c.community END AS community,
       CASE WHEN c.org IS NULL THEN p.descendants ELSE c.descendants END AS descendants,
       (coalesce(p.months_counted, 0) + (c.org IS NOT NULL)::INTEGER)::BIGINT AS months_counted,
       coalesce(p.first_month, $month) AS first_month
FROM previous AS p
FULL OUTER JOIN current AS c ON c.org = p.org AND c.name = p.name

-- description: For each crawl day of the month, the earlier snapshot its cumulative totals are diffed against: the one closest to 30 days before, at most 15 days off.
-- deps: month_snapshot[-2:0], modelscope_model_repos, modelscope_dataset_repos, opendatalab_dataset_repos, baai_data_dataset_repos
-- Two months back is enough: a snapshot within 30 +- 15 days of any day of this month lies in one of them.
WITH crawl_days AS (
    SELECT snapshot_date AS crawl_day FROM month_snapshot WHERE month = $month
    UNION
    SELECT DISTINCT date_crawl FROM (
        SELECT date_crawl FROM modelscope_model_repos WHERE month = $month
        UNION ALL SELECT date_crawl FROM modelscope_dataset_repos WHERE month = $month
        UNION ALL SELECT date_crawl FROM opendatalab_dataset_repos WHERE month = $month
        UNION ALL SELECT date_crawl FROM baai_data_dataset_repos WHERE month = $month
    )
),
candidates AS (
    SELECT month AS baseline_month, snapshot_date
    FROM month_snapshot
    WHERE month BETWEEN CAST($month - INTERVAL 2 MONTH AS DATE) AND CAST($month - INTERVAL 1 MONTH AS DATE)
)
SELECT
    d.crawl_day,
    arg_min(c.baseline_month, abs(date_diff('day', c.snapshot_date, d.crawl_day - 30))) AS baseline_month,
    arg_min(c.snapshot_date, abs(date_diff('day', c.snapshot_date, d.crawl_day - 30))) AS baseline_snapshot_date
FROM crawl_days AS d
JOIN candidates AS c ON abs(date_diff('day', c.snapshot_date, d.crawl_day - 30)) <= 15
GROUP BY d.crawl_day

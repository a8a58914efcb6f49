-- description: One row per organisation and dataset name across platforms, merged like models (first platform in merge order gives account, modality and lifecycle; positive downloads add up).
-- deps: stg_dataset_repos
-- arg_min_null, not arg_min: the first record's fields are taken whole, a NULL label included (SPEC section 6);
-- arg_min would skip a NULL and take the next record's label.
WITH ordered AS (
    SELECT *,
           CASE platform WHEN 'ModelScope' THEN 1 WHEN 'BAAIData' THEN 2 WHEN 'HuggingFace' THEN 3 ELSE 4 END * 1000000000::BIGINT + record_no AS merge_order
    FROM stg_dataset_repos
    WHERE month = $month
)
SELECT org, name,
       arg_min_null(account, merge_order) AS account,
       arg_min_null(platform, merge_order) AS platform,
       arg_min_null(modality, merge_order) AS modality,
       arg_min_null(lifecycle, merge_order) AS lifecycle,
       coalesce(sum(downloads_last_month) FILTER (WHERE downloads_last_month > 0), 0)::BIGINT AS downloads_last_month,
       sum(likes)::BIGINT AS likes,
       sum(community)::BIGINT AS community,
       sum(dataset_usage)::BIGINT AS dataset_usage,
       arg_min_null(date_crawl, merge_order) AS date_crawl,
       count(*) AS platform_records
FROM ordered
GROUP BY org, name

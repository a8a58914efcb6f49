-- description: Models counted this month, per platform: mapped to an organisation, labelled a large model, with monthly downloads at or above the threshold. ModelScope's monthly downloads are its cumulative total minus the baseline snapshot's.
-- deps: hf_model_repos, modelscope_model_repos[-2:0], modelscope_dataset_repos[-2:-1], baseline_snapshots, registry_accounts, registry_model_labels, scoring_profile
WITH accounts AS (
    SELECT platform, account, org FROM registry_accounts WHERE month = $month
),
labels AS (
    SELECT label_key, modality FROM registry_model_labels WHERE month = $month AND is_large_model
),
threshold AS (
    SELECT any_value(model_download_threshold) AS min_downloads FROM scoring_profile WHERE month = $month
),
-- ModelScope's baseline: the baseline snapshot's models and datasets in one dictionary keyed by
-- account/name, datasets read after models and later records after earlier ones (the published rule).
modelscope_baseline AS (
    SELECT month, account || '/' || name AS label_key,
           arg_max(total_downloads, (kind = 'dataset')::BIGINT * 1000000000 + record_no) AS baseline_total
    FROM (
        SELECT * FROM modelscope_model_repos
        UNION ALL BY NAME SELECT * FROM modelscope_dataset_repos
    )
    WHERE month BETWEEN CAST($month - INTERVAL 2 MONTH AS DATE) AND CAST($month - INTERVAL 1 MONTH AS DATE)
    GROUP BY ALL
),
huggingface AS (
    SELECT r.platform, r.record_no, r.account, r.name, a.org, l.modality,
           r.downloads_last_month, r.likes, r.community, r.descendants, r.date_crawl
    FROM hf_model_repos AS r
    JOIN accounts AS a ON a.platform = r.platform AND a.account = r.account
    JOIN labels AS l ON l.label_key = r.account || '/' || r.name
    WHERE r.month = $month
),
modelscope AS (
    SELECT r.platform, r.record_no, r.account, r.name, a.org, l.modality,
           r.total_downloads - bl.baseline_total AS downloads_last_month,
           r.likes, r.community, CAST(NULL AS BIGINT) AS descendants, r.date_crawl
    FROM modelscope_model_repos AS r
    JOIN accounts AS a ON a.platform = r.platform AND a.account = r.account
    JOIN labels AS l ON l.label_key = r.account || '/' || r.name
    JOIN baseline_snapshots AS b ON b.month = $month AND b.crawl_day = r.date_crawl
    JOIN modelscope_baseline AS bl ON bl.month = b.baseline_month AND bl.label_key = r.account || '/' || r.name
    WHERE r.month = $month
)
SELECT * FROM (SELECT * FROM huggingface UNION ALL SELECT * FROM modelscope)
WHERE downloads_last_month >= (SELECT min_downloads FROM threshold)

-- description: Datasets counted this month, per platform: mapped to an organisation and labelled valid. Monthly downloads are Hugging Face's counter, or the cumulative total minus the baseline snapshot's elsewhere.
-- deps: hf_dataset_repos, modelscope_dataset_repos[-2:0], modelscope_model_repos[-2:-1], opendatalab_dataset_repos[-2:0], baai_data_dataset_repos[-2:0], baseline_snapshots, registry_accounts, registry_dataset_labels
-- Hugging Face and ModelScope records belong to an organisation through its accounts; OpenDataLab and
-- BAAI Data records name their organisation themselves.
WITH accounts AS (
    SELECT platform, account, org FROM registry_accounts WHERE month = $month AND platform IN ('HuggingFace', 'ModelScope')
),
labels AS (
    SELECT label_key, modality, lifecycle FROM registry_dataset_labels WHERE month = $month AND is_valid
),
earlier AS (
    SELECT * FROM modelscope_model_repos
    UNION ALL BY NAME SELECT * FROM modelscope_dataset_repos
    UNION ALL BY NAME SELECT * FROM opendatalab_dataset_repos
    UNION ALL BY NAME SELECT * FROM baai_data_dataset_repos
),
-- One dictionary per platform keyed by account/name; on ModelScope, datasets are read after models, so a
-- dataset named like a model of the same account is diffed against the dataset (published rule).
baseline AS (
    SELECT month, platform, account || '/' || name AS label_key,
           arg_max(total_downloads, (kind = 'dataset')::BIGINT * 1000000000 + record_no) AS baseline_total
    FROM earlier
    WHERE month BETWEEN CAST($month - INTERVAL 2 MONTH AS DATE) AND CAST($month - INTERVAL 1 MONTH AS DATE)
    GROUP BY ALL
),
current_records AS (
    SELECT r.*, b.baseline_month
    FROM (
        SELECT * FROM hf_dataset_repos WHERE month = $month
        UNION ALL BY NAME SELECT * FROM modelscope_dataset_repos WHERE month = $month
        UNION ALL BY NAME SELECT * FROM opendatalab_dataset_repos WHERE month = $month
        UNION ALL BY NAME SELECT * FROM baai_data_dataset_repos WHERE month = $month
    ) AS r
    LEFT JOIN baseline_snapshots AS b ON b.month = $month AND b.crawl_day = r.date_crawl
),
with_baseline AS (
    SELECT r.*, coalesce(a.org, r.org) AS owner, l.modality AS label_modality, l.lifecycle AS label_lifecycle, bl.baseline_total,
           bl.label_key IS NOT NULL AS has_baseline
    FROM current_records AS r
    LEFT JOIN accounts AS a ON a.platform = r.platform AND a.account = r.account
    JOIN labels AS l ON l.label_key = r.account || '/' || r.name
    LEFT JOIN baseline AS bl ON bl.month = r.baseline_month AND bl.platform = r.platform AND bl.label_key = r.account || '/' || r.name
)
SELECT platform, record_no, account, name, owner AS org, label_modality AS modality, label_lifecycle AS lifecycle,
       CASE platform
           WHEN 'HuggingFace' THEN downloads_last_month
           -- A missing or zero baseline total gives 0, not the whole total (published rule); may be negative.
           WHEN 'ModelScope' THEN CASE WHEN coalesce(baseline_total, 0) <> 0 THEN total_downloads - baseline_total ELSE 0 END
           ELSE total_downloads - baseline_total
       END AS downloads_last_month,
       CASE WHEN likes < 0 THEN NULL ELSE likes END AS likes,
       CASE WHEN community < 0 THEN NULL ELSE community END AS community,
       dataset_usage, date_crawl
FROM with_baseline
WHERE owner IS NOT NULL
  AND CASE platform
          WHEN 'HuggingFace' THEN true
          WHEN 'ModelScope' THEN true
          ELSE has_baseline AND total_downloads - baseline_total >= 0
      END

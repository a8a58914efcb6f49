-- description: The datasets the data indicators count, in both views: 'monthly' and 'accumulated'.
-- deps: merged_dataset_repos, accumulated_dataset_repos
-- materialized: view
SELECT month, 'monthly' AS view, org, name, account, modality, lifecycle, downloads_last_month AS downloads, dataset_usage
FROM merged_dataset_repos
UNION ALL
SELECT month, 'accumulated', org, name, account, modality, lifecycle, downloads_last_month, dataset_usage
FROM accumulated_dataset_repos

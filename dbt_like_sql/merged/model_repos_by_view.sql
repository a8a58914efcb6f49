-- description: The models the model indicators count, in both views: 'monthly' (the month's merged models) and 'accumulated' (everything counted so far).
-- deps: merged_model_repos, accumulated_model_repos
-- materialized: view
SELECT month, 'monthly' AS view, org, name, account, modality, downloads_last_month AS downloads, likes, community, descendants
FROM merged_model_repos
UNION ALL
SELECT month, 'accumulated', org, name, account, modality, downloads_last_month, likes, community, descendants
FROM accumulated_model_repos

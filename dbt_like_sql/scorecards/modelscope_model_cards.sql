-- description: ModelScope model cards, typed, one row per model, in the columns of hf_model_cards: what ModelScope's listing gives (likes; live: licence, tags, library, created and updated times), monthly downloads where the ranking derived them (stg_model_repos: the cumulative total minus the baseline snapshot's), the rest NULL (not collected: no file list, scans, gating or threads). From an archive crawl the card is partial.
-- deps: modelscope_model_repos, stg_model_repos
-- audit: unique(model); not_null(model, partial)
WITH repos AS (
    SELECT account, name, likes, community, details, CAST(json_extract(details, '$.tags') AS VARCHAR[]) AS tags
    FROM modelscope_model_repos
    WHERE month = $month
),
monthly AS (
    SELECT account, name, max(downloads_last_month) AS downloads
    FROM stg_model_repos
    WHERE month = $month AND platform = 'ModelScope'
    GROUP BY ALL
)
SELECT
    'ModelScope' AS platform,
    r.account || '/' || r.name AS model,
    r.account,
    r.name,
    m.downloads,
    r.likes,
    CAST(NULL AS BIGINT) AS derived_models,
    len(list_filter(r.tags, t -> t LIKE 'arxiv:%')) AS papers,
    CAST(NULL AS BOOLEAN) AS github_linked,
    CAST(NULL AS INTEGER) AS spaces,
    CASE WHEN r.details IS NULL THEN r.community END AS discussions,
    CAST(NULL AS BIGINT) AS pull_requests,
    CAST(NULL AS TIMESTAMP) AS last_thread_at,
    CAST(json_extract_string(r.details, '$.created_at') AS TIMESTAMP) AS created_at,
    CAST(json_extract_string(r.details, '$.last_modified') AS TIMESTAMP) AS last_modified,
    CAST(NULL AS VARCHAR) AS gated,
    CASE WHEN r.details IS NOT NULL THEN coalesce(lower(json_extract_string(r.details, '$.license')), '') END AS license,
    CAST(NULL AS BOOLEAN) AS has_metrics,
    CAST(NULL AS BOOLEAN) AS has_datasets,
    CAST(NULL AS BOOLEAN) AS has_base_model,
    CAST(NULL AS BOOLEAN) AS has_training_info,
    CAST(NULL AS BOOLEAN) AS has_eval_results,
    CASE WHEN r.details IS NOT NULL THEN json_extract_string(r.details, '$.library_name') IS NOT NULL END AS has_example_code,
    CAST(NULL AS BOOLEAN) AS has_safetensors,
    CAST(NULL AS VARCHAR[]) AS pickle_files,
    CAST(NULL AS BOOLEAN) AS remote_code,
    CAST(NULL AS INTEGER) AS files_scanned,
    CAST(NULL AS VARCHAR[]) AS dangerous_imports,
    CAST(NULL AS VARCHAR[]) AS infected_files,
    r.details IS NULL AS partial
FROM repos AS r
LEFT JOIN monthly AS m ON m.account = r.account AND m.name = r.name

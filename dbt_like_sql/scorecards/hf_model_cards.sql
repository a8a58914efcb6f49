-- description: Hugging Face model cards, typed, one row per model: the fields the scorecards read from the source table hf_model_repos (its details, as the live collector keeps them). From an archive crawl only downloads, likes, community and descendants are known and the card is partial.
-- deps: hf_model_repos
-- audit: unique(model); not_null(model, partial)
WITH repos AS (
    SELECT account, name, downloads_last_month, likes, community, descendants, details,
           CAST(json_extract(details, '$.tags') AS VARCHAR[]) AS tags,
           CAST(json_extract(details, '$.siblings') AS VARCHAR[]) AS files,
           json_extract(details, '$.card_data') AS card,
           json_extract(details, '$.card_extras') AS extras
    FROM hf_model_repos
    WHERE month = $month
)
SELECT
    'HuggingFace' AS platform,
    account || '/' || name AS model,
    account,
    name,
    downloads_last_month AS downloads,
    likes,
    descendants AS derived_models,
    len(list_filter(tags, t -> t LIKE 'arxiv:%')) AS papers,
    CASE WHEN details IS NOT NULL THEN regexp_matches(coalesce(CAST(card AS VARCHAR), ''), 'github\.com/') END AS github_linked,
    CAST(json_extract(details, '$.spaces_count') AS INTEGER) AS spaces,
    -- live: all threads of the first discussions page's count, pull requests apart; archive: the crawl's community count
    coalesce(CAST(json_extract(extras, '$.discussions') AS BIGINT), CASE WHEN details IS NULL THEN community END) AS discussions,
    CAST(json_extract(extras, '$.pull_requests') AS BIGINT) AS pull_requests,
    CAST(json_extract_string(extras, '$.last_thread_at') AS TIMESTAMP) AS last_thread_at,
    CAST(json_extract_string(details, '$.created_at') AS TIMESTAMP) AS created_at,
    CAST(json_extract_string(details, '$.last_modified') AS TIMESTAMP) AS last_modified,
    CASE WHEN details IS NOT NULL THEN lower(coalesce(json_extract_string(details, '$.gated'), 'false')) END AS gated,
    CASE WHEN details IS NOT NULL THEN coalesce(lower(json_extract_string(details, '$.license')), '') END AS license,
    CASE WHEN details IS NOT NULL THEN coalesce(json_array_length(card, '$.metrics') > 0, false) END AS has_metrics,
    CASE WHEN details IS NOT NULL THEN coalesce(json_array_length(card, '$.datasets') > 0, false) OR len(list_filter(tags, t -> t LIKE 'dataset:%')) > 0 END AS has_datasets,
    CASE WHEN details IS NOT NULL THEN json_extract(details, '$.base_models') IS NOT NULL OR json_extract(card, '$.base_model') IS NOT NULL OR len(list_filter(tags, t -> t LIKE 'base_model:%')) > 0 END AS has_base_model,
    -- training, fine-tuning or alignment named by the card: a fine-tune/adapter/merge lineage tag or a trainer's tag
    CASE WHEN details IS NOT NULL THEN len(list_filter(tags, t -> t SIMILAR TO 'base_model:(finetune|adapter|merge):.*'
        OR t IN ('generated_from_trainer', 'trl', 'sft', 'dpo', 'orpo', 'kto', 'rlhf', 'axolotl', 'autotrain', 'alignment-handbook', 'unsloth'))) > 0 END AS has_training_info,
    CAST(json_extract(details, '$.has_eval_results') AS BOOLEAN) AS has_eval_results,
    -- the Hub shows a usage snippet for a model of a known library, and a widget where the card has one
    CASE WHEN details IS NOT NULL THEN json_extract_string(details, '$.library_name') IS NOT NULL OR coalesce(CAST(json_extract(details, '$.has_widget') AS BOOLEAN), false) END AS has_example_code,
    CASE WHEN details IS NOT NULL THEN len(list_filter(files, f -> f LIKE '%.safetensors')) > 0 END AS has_safetensors,
    CASE WHEN details IS NOT NULL THEN list_filter(files, f -> regexp_matches(lower(f), '\.(bin|pt|pth|ckpt|pkl|pickle|joblib)$')) END AS pickle_files,
    CASE WHEN details IS NOT NULL THEN list_contains(tags, 'custom_code') OR len(list_filter(files, f -> f LIKE '%.py')) > 0 END AS remote_code,
    CAST(json_extract(extras, '$.scan.files_scanned') AS INTEGER) AS files_scanned,
    CAST(json_extract(extras, '$.scan.dangerous_imports') AS VARCHAR[]) AS dangerous_imports,
    CAST(json_extract(extras, '$.scan.infected_files') AS VARCHAR[]) AS infected_files,
    details IS NULL AS partial
FROM repos

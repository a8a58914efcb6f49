-- description: Every factor of every model's scorecard, one row per month, model and factor: the raw value, the points (from model_scorecard_points; NULL when not collected) and where the value came from. A view: 25 rows per model are computed when read (one card, or a month's export), not stored; the points and cards it explains are audited.
-- deps: model_scorecard_points, model_cards
-- materialized: view
WITH long AS (
    SELECT month, model, org, official_provider, imitated, licence_class, split_part(key, '_', 1) AS category, substr(key, strpos(key, '_') + 1) AS factor, points
    FROM model_scorecard_points UNPIVOT INCLUDE NULLS (points FOR key IN (COLUMNS('^(popularity|activity|operational|security)_')))
),
population AS (
    SELECT month, count(*) AS models FROM model_cards GROUP BY month
)
SELECT l.month, l.model, l.category, l.factor,
    CASE l.factor
        WHEN 'downloads' THEN CAST(c.downloads AS VARCHAR)
        WHEN 'likes' THEN CAST(c.likes AS VARCHAR)
        WHEN 'papers' THEN CAST(c.papers AS VARCHAR)
        WHEN 'github_repository' THEN CAST(c.github_linked AS VARCHAR)
        WHEN 'spaces' THEN CAST(c.spaces AS VARCHAR)
        WHEN 'derived_models' THEN CAST(c.derived_models AS VARCHAR)
        WHEN 'discussions' THEN CAST(c.discussions AS VARCHAR)
        WHEN 'pull_requests' THEN CAST(c.pull_requests AS VARCHAR)
        WHEN 'recency' THEN CASE WHEN c.last_thread_at IS NOT NULL THEN strftime(c.last_thread_at, '%Y-%m-%d') WHEN c.pull_requests IS NOT NULL THEN 'no thread' END
        WHEN 'provider' THEN coalesce(l.org, CASE WHEN l.official_provider THEN 'official provider' END, 'unregistered account')
        WHEN 'maturity' THEN strftime(c.created_at, '%Y-%m-%d')
        WHEN 'maintenance' THEN strftime(c.last_modified, '%Y-%m-%d')
        WHEN 'access' THEN c.gated
        WHEN 'licence_present' THEN CASE WHEN c.license = '' THEN 'none' ELSE c.license END
        WHEN 'licence_type' THEN CASE WHEN c.license = '' THEN 'none' WHEN c.license IS NOT NULL THEN coalesce(l.licence_class, 'restrictive/custom (unlisted)') END
        WHEN 'metrics' THEN CAST(c.has_metrics AS VARCHAR)
        WHEN 'datasets' THEN CAST(c.has_datasets AS VARCHAR)
        WHEN 'base_model' THEN CAST(c.has_base_model AS VARCHAR)
        WHEN 'training_info' THEN CAST(c.has_training_info AS VARCHAR)
        WHEN 'eval_results' THEN CAST(c.has_eval_results AS VARCHAR)
        WHEN 'example_code' THEN CAST(c.has_example_code AS VARCHAR)
        WHEN 'safetensors' THEN CAST(c.has_safetensors AS VARCHAR)
        WHEN 'unsafe_files' THEN CASE WHEN c.pickle_files IS NOT NULL THEN
            coalesce(nullif(array_to_string(list_concat(c.pickle_files, CASE WHEN c.remote_code THEN ['trust_remote_code'] ELSE [] END), ', '), ''), 'none') END
        WHEN 'file_scan' THEN CASE WHEN c.files_scanned > 0 THEN coalesce(nullif(array_to_string(list_concat(c.dangerous_imports, c.infected_files), ', '), ''), 'safe') END
        WHEN 'typosquat' THEN coalesce('looks like ' || l.imitated, 'no look-alike')
    END AS value,
    CAST(l.points AS DOUBLE) AS points,
    -- OSIR's own sources first, then where each platform's listing gives the value
    CASE l.factor
        WHEN 'provider' THEN 'osir registry: organisation accounts; Open LLM Leaderboard: official providers'
        WHEN 'licence_type' THEN 'scorecard.yaml: licence_classes'
        WHEN 'typosquat' THEN 'osir look-alikes over ' || p.models || ' models'
    ELSE CASE WHEN c.platform = 'ModelScope' THEN CASE l.factor
        WHEN 'downloads' THEN 'osir staging: cumulative downloads minus the baseline snapshot''s'
        WHEN 'likes' THEN (CASE WHEN c.partial THEN 'crawl' ELSE 'modelscope listing' END) || ': likes (Stars)'
        WHEN 'papers' THEN 'modelscope listing: arxiv: tags'
        WHEN 'discussions' THEN CASE WHEN c.partial THEN 'crawl: community' ELSE 'not given by ModelScope' END
        WHEN 'maturity' THEN 'modelscope listing: CreatedTime'
        WHEN 'maintenance' THEN 'modelscope listing: LastUpdatedTime'
        WHEN 'licence_present' THEN 'modelscope listing: License'
        WHEN 'example_code' THEN 'modelscope listing: Libraries'
        ELSE 'not given by ModelScope'
    END ELSE CASE l.factor
        WHEN 'downloads' THEN (CASE WHEN c.partial THEN 'crawl' ELSE 'hf listing' END) || ': downloads (30 days)'
        WHEN 'likes' THEN (CASE WHEN c.partial THEN 'crawl' ELSE 'hf listing' END) || ': likes'
        WHEN 'papers' THEN 'hf listing: arxiv: tags'
        WHEN 'github_repository' THEN 'hf listing: card metadata links'
        WHEN 'spaces' THEN 'hf listing: spaces'
        WHEN 'derived_models' THEN (CASE WHEN c.partial THEN 'crawl' ELSE 'hf listing' END) || ': childrenModelCount'
        WHEN 'discussions' THEN CASE WHEN c.partial THEN 'crawl: community (discussions + pull requests)' ELSE 'hf discussions: first page count, all statuses' END
        WHEN 'pull_requests' THEN 'hf discussions: pull requests count'
        WHEN 'recency' THEN 'hf discussions: newest thread of the first page'
        WHEN 'maturity' THEN 'hf listing: createdAt'
        WHEN 'maintenance' THEN 'hf listing: lastModified'
        WHEN 'access' THEN 'hf listing: gated'
        WHEN 'licence_present' THEN 'hf listing: card license / license: tag'
        WHEN 'metrics' THEN 'hf listing: card metrics'
        WHEN 'datasets' THEN 'hf listing: card datasets / dataset: tags'
        WHEN 'base_model' THEN 'hf listing: baseModels / base_model'
        WHEN 'training_info' THEN 'hf listing: fine-tune lineage and trainer tags'
        WHEN 'eval_results' THEN 'hf listing: model-index'
        WHEN 'example_code' THEN 'hf listing: library_name / widget'
        WHEN 'safetensors' THEN 'hf listing: siblings'
        WHEN 'unsafe_files' THEN 'hf listing: siblings, custom_code tag'
        WHEN 'file_scan' THEN 'hf tree: securityFileStatus'
    END END END AS source
FROM long AS l
JOIN model_cards AS c ON c.month = l.month AND c.model = l.model
JOIN population AS p ON p.month = l.month

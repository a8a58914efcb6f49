-- description: Every factor of every model's scorecard this month: its raw value, its points (0-10, NULL when the factor was not collected) and where the value came from. Counts are scored on a log scale against the month's population (README, Model scorecards).
-- deps: hf_model_cards, model_lookalikes, registry_accounts, scorecard_profile
-- audit: unique(model, factor); not_null(model, category, factor, source); between(points=0:10)
WITH cards AS (
    SELECT * FROM hf_model_cards WHERE month = $month
),
profile AS (
    SELECT section, key, label, value FROM scorecard_profile WHERE month = $month
),
settings AS (
    SELECT max(value) FILTER (key = 'unlisted_licence_points') AS unlisted_licence_points,
           max(value) FILTER (key = 'maturity_months') AS maturity_months,
           max(value) FILTER (key = 'fresh_months') AS fresh_months,
           max(value) FILTER (key = 'stale_months') AS stale_months,
           max(value) FILTER (key = 'recency_days') AS recency_days,
           CAST($month + INTERVAL 1 MONTH AS TIMESTAMP) AS month_end
    FROM profile WHERE section = 'setting'
),
-- log scale: points = 10 * ln(1 + x) / ln(1 + the month's largest x). (DuckDB's greatest/least skip NULLs, hence the CASEs.)
population AS (
    SELECT ln(1 + max(downloads)) AS downloads, ln(1 + max(likes)) AS likes, ln(1 + max(spaces)) AS spaces,
           ln(1 + max(derived_models)) AS derived_models, ln(1 + max(discussions)) AS discussions,
           ln(1 + max(pull_requests)) AS pull_requests, count(*) AS models
    FROM cards
),
accounts AS (
    SELECT lower(account) AS account, any_value(org) AS org
    FROM registry_accounts WHERE month = $month AND platform = 'HuggingFace' GROUP BY ALL
),
lookalikes AS (
    SELECT model, arg_max(imitated, imitated_downloads) AS imitated FROM model_lookalikes WHERE month = $month GROUP BY ALL
),
scored AS (
    SELECT c.*, a.org, l.imitated, p.label AS licence_class, coalesce(p.value, CASE WHEN c.license <> '' THEN s.unlisted_licence_points END) AS licence_points,
           acc.value AS access_points,
           date_diff('day', c.created_at, s.month_end) / 30.44 AS age_months,
           date_diff('day', c.last_modified, s.month_end) / 30.44 AS idle_months,
           date_diff('day', c.last_thread_at, s.month_end) AS thread_age_days,
           s.*, pop.downloads AS max_downloads, pop.likes AS max_likes, pop.spaces AS max_spaces, pop.derived_models AS max_derived,
           pop.discussions AS max_discussions, pop.pull_requests AS max_pull_requests, pop.models AS population,
           CASE WHEN c.partial THEN 'crawl' ELSE 'hf listing' END AS listing
    FROM cards AS c
    CROSS JOIN settings AS s
    CROSS JOIN population AS pop
    LEFT JOIN accounts AS a ON a.account = lower(c.account)
    LEFT JOIN lookalikes AS l ON l.model = c.model
    LEFT JOIN profile AS p ON p.section = 'licence' AND p.key = c.license
    LEFT JOIN profile AS acc ON acc.section = 'access' AND acc.key = CASE c.gated WHEN 'false' THEN 'open' ELSE c.gated END
),
factors AS (
    SELECT model, unnest([
        {category: 'popularity', factor: 'downloads', value: CAST(downloads AS VARCHAR),
         points: coalesce(10 * ln(1 + downloads) / nullif(max_downloads, 0), CASE WHEN downloads IS NOT NULL THEN 0 END), source: listing || ': downloads (30 days)'},
        {category: 'popularity', factor: 'likes', value: CAST(likes AS VARCHAR),
         points: coalesce(10 * ln(1 + likes) / nullif(max_likes, 0), CASE WHEN likes IS NOT NULL THEN 0 END), source: listing || ': likes'},
        {category: 'popularity', factor: 'papers', value: CAST(papers AS VARCHAR),
         points: CASE WHEN papers > 0 THEN 10.0 WHEN papers = 0 THEN 0.0 END, source: 'hf listing: arxiv: tags'},
        {category: 'popularity', factor: 'github_repository', value: CAST(github_linked AS VARCHAR),
         points: CASE WHEN github_linked THEN 10.0 WHEN NOT github_linked THEN 0.0 END, source: 'hf listing: card metadata links'},
        {category: 'popularity', factor: 'spaces', value: CAST(spaces AS VARCHAR),
         points: coalesce(10 * ln(1 + spaces) / nullif(max_spaces, 0), CASE WHEN spaces IS NOT NULL THEN 0 END), source: 'hf listing: spaces'},
        {category: 'popularity', factor: 'derived_models', value: CAST(derived_models AS VARCHAR),
         points: coalesce(10 * ln(1 + derived_models) / nullif(max_derived, 0), CASE WHEN derived_models IS NOT NULL THEN 0 END), source: listing || ': childrenModelCount'},
        {category: 'activity', factor: 'discussions', value: CAST(discussions AS VARCHAR),
         points: coalesce(10 * ln(1 + discussions) / nullif(max_discussions, 0), CASE WHEN discussions IS NOT NULL THEN 0 END),
         source: CASE WHEN partial THEN 'crawl: community (discussions + pull requests)' ELSE 'hf discussions: first page count, all statuses' END},
        {category: 'activity', factor: 'pull_requests', value: CAST(pull_requests AS VARCHAR),
         points: coalesce(10 * ln(1 + pull_requests) / nullif(max_pull_requests, 0), CASE WHEN pull_requests IS NOT NULL THEN 0 END), source: 'hf discussions: pull requests count'},
        {category: 'activity', factor: 'recency', value: CASE WHEN last_thread_at IS NOT NULL THEN strftime(last_thread_at, '%Y-%m-%d') WHEN pull_requests IS NOT NULL THEN 'no thread' END,
         points: CASE WHEN last_thread_at IS NOT NULL THEN 10 * greatest(0, least(1, 1 - thread_age_days / recency_days)) WHEN pull_requests IS NOT NULL THEN 0.0 END,
         source: 'hf discussions: newest thread of the first page'},
        {category: 'operational', factor: 'provider', value: coalesce(org, 'unregistered account'),
         points: CASE WHEN org IS NOT NULL THEN 10.0 ELSE 0.0 END, source: 'osir registry: organisation accounts'},
        {category: 'operational', factor: 'maturity', value: strftime(created_at, '%Y-%m-%d'),
         points: CASE WHEN created_at IS NOT NULL THEN 10 * greatest(0, least(1, age_months / maturity_months)) END, source: 'hf listing: createdAt'},
        {category: 'operational', factor: 'maintenance', value: strftime(last_modified, '%Y-%m-%d'),
         points: CASE WHEN last_modified IS NOT NULL THEN 10 * greatest(0, least(1, 1 - (idle_months - fresh_months) / (stale_months - fresh_months))) END, source: 'hf listing: lastModified'},
        {category: 'operational', factor: 'access', value: gated, points: access_points, source: 'hf listing: gated'},
        {category: 'operational', factor: 'licence_present', value: CASE WHEN license = '' THEN 'none' ELSE license END,
         points: CASE WHEN license <> '' THEN 10.0 WHEN license = '' THEN 0.0 END, source: 'hf listing: card license / license: tag'},
        {category: 'operational', factor: 'licence_type', value: CASE WHEN license = '' THEN 'none' WHEN license IS NOT NULL THEN coalesce(licence_class, 'restrictive/custom (unlisted)') END,
         points: CASE WHEN license = '' THEN 0.0 ELSE licence_points END, source: 'scorecard.yaml: licence_classes'},
        {category: 'operational', factor: 'metrics', value: CAST(has_metrics AS VARCHAR), points: CASE WHEN has_metrics THEN 10.0 WHEN NOT has_metrics THEN 0.0 END, source: 'hf listing: card metrics'},
        {category: 'operational', factor: 'datasets', value: CAST(has_datasets AS VARCHAR), points: CASE WHEN has_datasets THEN 10.0 WHEN NOT has_datasets THEN 0.0 END, source: 'hf listing: card datasets / dataset: tags'},
        {category: 'operational', factor: 'base_model', value: CAST(has_base_model AS VARCHAR), points: CASE WHEN has_base_model THEN 10.0 WHEN NOT has_base_model THEN 0.0 END, source: 'hf listing: baseModels / base_model'},
        {category: 'operational', factor: 'training_info', value: CAST(has_training_info AS VARCHAR), points: CASE WHEN has_training_info THEN 10.0 WHEN NOT has_training_info THEN 0.0 END, source: 'hf listing: fine-tune lineage and trainer tags'},
        {category: 'operational', factor: 'eval_results', value: CAST(has_eval_results AS VARCHAR), points: CASE WHEN has_eval_results THEN 10.0 WHEN NOT has_eval_results THEN 0.0 END, source: 'hf listing: model-index'},
        {category: 'security', factor: 'example_code', value: CAST(has_example_code AS VARCHAR), points: CASE WHEN has_example_code THEN 10.0 WHEN NOT has_example_code THEN 0.0 END, source: 'hf listing: library_name / widget'},
        {category: 'security', factor: 'safetensors', value: CAST(has_safetensors AS VARCHAR), points: CASE WHEN has_safetensors THEN 10.0 WHEN NOT has_safetensors THEN 0.0 END, source: 'hf listing: siblings'},
        {category: 'security', factor: 'unsafe_files', value: CASE WHEN pickle_files IS NOT NULL THEN coalesce(nullif(array_to_string(list_concat(pickle_files, CASE WHEN remote_code THEN ['trust_remote_code'] ELSE [] END), ', '), ''), 'none') END,
         points: CASE WHEN pickle_files IS NOT NULL THEN 10.0 - CASE WHEN len(pickle_files) > 0 THEN 5 ELSE 0 END - CASE WHEN remote_code THEN 5 ELSE 0 END END, source: 'hf listing: siblings, custom_code tag'},
        {category: 'security', factor: 'file_scan', value: CASE WHEN files_scanned > 0 THEN coalesce(nullif(array_to_string(list_concat(dangerous_imports, infected_files), ', '), ''), 'safe') END,
         points: CASE WHEN len(dangerous_imports) > 0 OR len(infected_files) > 0 THEN 0.0 WHEN files_scanned > 0 THEN 10.0 END, source: 'hf tree: securityFileStatus'},
        {category: 'security', factor: 'typosquat', value: coalesce('looks like ' || imitated, 'no look-alike'),
         points: CASE WHEN imitated IS NOT NULL THEN 0.0 ELSE 10.0 END, source: 'osir look-alikes over ' || population || ' models'}
    ], recursive := true)
    FROM scored
)
SELECT model, category, factor, value, CAST(points AS DOUBLE) AS points, source FROM factors

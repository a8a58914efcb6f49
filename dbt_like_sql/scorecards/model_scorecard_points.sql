-- description: Each model's points per factor this month (0-10; NULL when the factor was not collected), one row per model, one column per factor named <category>_<factor>: the scoring itself. Counts are scored on a log scale against the month's population (README, Model scorecards); model_scorecard_factors explains each point with its raw value and source.
-- deps: model_cards, model_lookalikes, registry_accounts, scorecard_profile, leaderboard_models
-- audit: unique(model); not_null(model)
WITH cards AS (
    SELECT * FROM model_cards WHERE month = $month
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
-- log scale: points = 10 * ln(1 + x) / ln(1 + the month's largest x)
population AS (
    SELECT ln(1 + max(downloads)) AS downloads, ln(1 + max(likes)) AS likes, ln(1 + max(spaces)) AS spaces,
           ln(1 + max(derived_models)) AS derived_models, ln(1 + max(discussions)) AS discussions,
           ln(1 + max(pull_requests)) AS pull_requests
    FROM cards
),
accounts AS (
    SELECT platform, lower(account) AS account, any_value(org) AS org
    FROM registry_accounts WHERE month = $month GROUP BY ALL
),
-- the Open LLM Leaderboard's "official providers": models submitted by their own makers
official AS (
    SELECT DISTINCT lower(model) AS model FROM leaderboard_models WHERE month = $month AND official_provider
),
lookalikes AS (
    SELECT model, arg_max(imitated, imitated_downloads) AS imitated FROM model_lookalikes WHERE month = $month GROUP BY ALL
),
scored AS (
    SELECT c.*, a.org, o.model IS NOT NULL AS official_provider, l.imitated, p.label AS licence_class,
           coalesce(p.value, CASE WHEN c.license <> '' THEN s.unlisted_licence_points END) AS licence_points, acc.value AS access_points,
           date_diff('day', c.created_at, s.month_end) / 30.44 AS age_months,
           date_diff('day', c.last_modified, s.month_end) / 30.44 AS idle_months,
           date_diff('day', c.last_thread_at, s.month_end) AS thread_age_days,
           s.*, pop.downloads AS max_downloads, pop.likes AS max_likes, pop.spaces AS max_spaces, pop.derived_models AS max_derived,
           pop.discussions AS max_discussions, pop.pull_requests AS max_pull_requests
    FROM cards AS c
    CROSS JOIN settings AS s
    CROSS JOIN population AS pop
    LEFT JOIN accounts AS a ON a.platform = c.platform AND a.account = lower(c.account)
    LEFT JOIN official AS o ON o.model = lower(c.model)
    LEFT JOIN lookalikes AS l ON l.model = c.model
    LEFT JOIN profile AS p ON p.section = 'licence' AND p.key = c.license
    LEFT JOIN profile AS acc ON acc.section = 'access' AND acc.key = CASE c.gated WHEN 'false' THEN 'open' ELSE c.gated END
)
-- A yes/no factor is 10 or 0, NULL when unknown. DuckDB's greatest/least skip NULLs, hence the CASEs around them.
SELECT model, platform, org, official_provider, imitated, licence_class, partial,
    coalesce(10 * ln(1 + downloads) / nullif(max_downloads, 0), CASE WHEN downloads IS NOT NULL THEN 0 END) AS popularity_downloads,
    coalesce(10 * ln(1 + likes) / nullif(max_likes, 0), CASE WHEN likes IS NOT NULL THEN 0 END) AS popularity_likes,
    CASE WHEN papers > 0 THEN 10.0 WHEN papers = 0 THEN 0.0 END AS popularity_papers,
    10.0 * CAST(github_linked AS INTEGER) AS popularity_github_repository,
    coalesce(10 * ln(1 + spaces) / nullif(max_spaces, 0), CASE WHEN spaces IS NOT NULL THEN 0 END) AS popularity_spaces,
    coalesce(10 * ln(1 + derived_models) / nullif(max_derived, 0), CASE WHEN derived_models IS NOT NULL THEN 0 END) AS popularity_derived_models,
    coalesce(10 * ln(1 + discussions) / nullif(max_discussions, 0), CASE WHEN discussions IS NOT NULL THEN 0 END) AS activity_discussions,
    coalesce(10 * ln(1 + pull_requests) / nullif(max_pull_requests, 0), CASE WHEN pull_requests IS NOT NULL THEN 0 END) AS activity_pull_requests,
    CASE WHEN last_thread_at IS NOT NULL THEN 10 * greatest(0, least(1, 1 - thread_age_days / recency_days)) WHEN pull_requests IS NOT NULL THEN 0.0 END AS activity_recency,
    CASE WHEN org IS NOT NULL OR official_provider THEN 10.0 ELSE 0.0 END AS operational_provider,
    CASE WHEN created_at IS NOT NULL THEN 10 * greatest(0, least(1, age_months / maturity_months)) END AS operational_maturity,
    CASE WHEN last_modified IS NOT NULL THEN 10 * greatest(0, least(1, 1 - (idle_months - fresh_months) / (stale_months - fresh_months))) END AS operational_maintenance,
    access_points AS operational_access,
    CASE WHEN license <> '' THEN 10.0 WHEN license = '' THEN 0.0 END AS operational_licence_present,
    CASE WHEN license = '' THEN 0.0 ELSE licence_points END AS operational_licence_type,
    10.0 * CAST(has_metrics AS INTEGER) AS operational_metrics,
    10.0 * CAST(has_datasets AS INTEGER) AS operational_datasets,
    10.0 * CAST(has_base_model AS INTEGER) AS operational_base_model,
    10.0 * CAST(has_training_info AS INTEGER) AS operational_training_info,
    10.0 * CAST(has_eval_results AS INTEGER) AS operational_eval_results,
    10.0 * CAST(has_example_code AS INTEGER) AS security_example_code,
    10.0 * CAST(has_safetensors AS INTEGER) AS security_safetensors,
    CASE WHEN pickle_files IS NOT NULL THEN 10.0 - CASE WHEN len(pickle_files) > 0 THEN 5 ELSE 0 END - CASE WHEN remote_code THEN 5 ELSE 0 END END AS security_unsafe_files,
    CASE WHEN len(dangerous_imports) > 0 OR len(infected_files) > 0 THEN 0.0 WHEN files_scanned > 0 THEN 10.0 END AS security_file_scan,
    CASE WHEN imitated IS NOT NULL THEN 0.0 ELSE 10.0 END AS security_typosquat
FROM scored

-- Which indicators a repository feeds follows the indicator SQL files' naming: num_<modality>,
-- downloads_<modality>, num_<lifecycle>, downloads_<lifecycle> (lower case, without '-'), and the totals
-- descendants, likes, issue, dataset_usage. A count indicator counts each repository once (figure 1).
WITH wanted AS (
    SELECT dimension, indicator, value FROM normalised_indicators
    WHERE month = $month AND view = $view AND org = $org AND dimension IN ('data', 'model')
      AND (dimension = $dimension OR $dimension IS NULL)
),
repos AS (
    SELECT 'model' AS dimension, account, name, 'repositories' AS origin, lower(replace(modality, '-', '')) AS modality_key,
           NULL AS lifecycle_key, downloads, descendants, likes, community AS issue, NULL::BIGINT AS dataset_usage
    FROM model_repos_by_view WHERE month = $month AND view = $view AND org = $org
    UNION ALL
    SELECT 'data', account, name, 'repositories', lower(replace(modality, '-', '')), lower(replace(lifecycle, '-', '')),
           downloads, NULL, NULL, NULL, dataset_usage
    FROM dataset_repos_by_view WHERE month = $month AND view = $view AND org = $org
    UNION ALL
    -- Curated datasets published outside the platforms add to the data counts only.
    SELECT 'data', repo, dataset_name, 'other-source-datasets.jsonl', lower(replace(modality, '-', '')), lower(replace(lifecycle, '-', '')),
           NULL, NULL, NULL, NULL, NULL
    FROM curated_extra_datasets WHERE month = $month AND org = $org
),
feeds AS (
    SELECT dimension, account, name, origin, downloads,
           unnest([
               {'indicator': 'num_' || modality_key, 'figure': 1::DOUBLE},
               {'indicator': 'downloads_' || modality_key, 'figure': downloads::DOUBLE},
               {'indicator': 'num_' || lifecycle_key, 'figure': 1::DOUBLE},
               {'indicator': 'downloads_' || lifecycle_key, 'figure': downloads::DOUBLE},
               {'indicator': 'descendants', 'figure': descendants::DOUBLE},
               {'indicator': 'likes', 'figure': likes::DOUBLE},
               {'indicator': 'issue', 'figure': issue::DOUBLE},
               {'indicator': 'dataset_usage', 'figure': dataset_usage::DOUBLE}
           ], max_depth := 2)
    FROM repos
),
contributions AS (
    SELECT f.dimension, f.indicator, w.value, f.account, f.name, f.origin, f.figure, f.downloads,
           count(*) OVER per_indicator AS repositories,
           sum(f.figure) OVER per_indicator AS figures_total,
           row_number() OVER (PARTITION BY f.dimension, f.indicator ORDER BY f.figure DESC, f.downloads DESC NULLS LAST, f.account, f.name) AS place
    FROM feeds AS f
    JOIN wanted AS w ON w.dimension = f.dimension AND w.indicator = f.indicator
    WHERE f.figure IS NOT NULL
    WINDOW per_indicator AS (PARTITION BY f.dimension, f.indicator)
),
platform_records AS (
    SELECT 'model' AS dimension, account, name, platform, downloads_last_month FROM stg_model_repos WHERE month = $month AND org = $org
    UNION ALL
    SELECT 'data', account, name, platform, downloads_last_month FROM stg_dataset_repos WHERE month = $month AND org = $org
),
-- One entry per merged repository: every platform record of it this month (the merge adds positive downloads).
platforms AS (
    SELECT dimension, name, list({'record': platform || ' ' || account || '/' || name, 'downloads': downloads_last_month} ORDER BY platform, account) AS records
    FROM platform_records GROUP BY ALL
)
SELECT c.dimension, c.indicator, c.value, c.place, c.account || '/' || c.name AS repository, c.origin, c.figure, c.downloads,
       c.repositories, c.figures_total, coalesce(p.records, [{'record': c.origin, 'downloads': NULL::BIGINT}]) AS platform_records
FROM contributions AS c
LEFT JOIN platforms AS p ON p.dimension = c.dimension AND p.name = c.name AND c.origin = 'repositories'
WHERE c.place <= $top
ORDER BY c.dimension, c.indicator, c.place

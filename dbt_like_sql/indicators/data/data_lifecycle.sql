-- description: Large-model lifecycle coverage: datasets and their monthly downloads per stage (pre-training, fine-tuning, preference); curated extra datasets add to the counts. Evaluation datasets have no column.
-- table: indicator_values
-- deps: dataset_repos_by_view, curated_extra_datasets, org_universe
-- outputs: indicators/data/num_pretraining, indicators/data/num_finetuning, indicators/data/num_preference,
-- outputs: indicators/data/downloads_pretraining, indicators/data/downloads_finetuning, indicators/data/downloads_preference
-- audit: unique(view, dimension, indicator, org); not_null(org, value); minimum(value=0)
WITH catalogue(indicator, position, measure, lifecycle) AS (
    VALUES ('num_pretraining', 12, 'count', 'Pre-training'), ('num_finetuning', 13, 'count', 'Fine-tuning'),
           ('num_preference', 14, 'count', 'Preference'), ('downloads_pretraining', 15, 'downloads', 'Pre-training'),
           ('downloads_finetuning', 16, 'downloads', 'Fine-tuning'), ('downloads_preference', 17, 'downloads', 'Preference')
),
repos AS (SELECT * FROM dataset_repos_by_view WHERE month = $month),
extra AS (SELECT org, lifecycle, count(*) AS n FROM curated_extra_datasets WHERE month = $month GROUP BY ALL),
per_stage AS (SELECT view, org, lifecycle, count(*) AS n, sum(downloads) AS downloads FROM repos GROUP BY ALL),
grid AS (
    SELECT v.view, u.org, c.* FROM (VALUES ('monthly'), ('accumulated')) AS v(view) CROSS JOIN org_universe AS u CROSS JOIN catalogue AS c
    WHERE u.month = $month
)
SELECT g.view, 'data' AS dimension, g.indicator, g.position, g.org,
       CAST(CASE g.measure WHEN 'count' THEN coalesce(s.n, 0) + coalesce(e.n, 0) ELSE coalesce(s.downloads, 0) END AS DOUBLE) AS value
FROM grid AS g
LEFT JOIN per_stage AS s ON s.view = g.view AND s.org = g.org AND s.lifecycle = g.lifecycle
LEFT JOIN extra AS e ON e.org = g.org AND e.lifecycle = g.lifecycle

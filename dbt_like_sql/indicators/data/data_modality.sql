-- description: Dataset modality coverage: datasets and their monthly downloads per modality (curated extra datasets add to the counts), and the models trained on the organisation's datasets.
-- table: indicator_values
-- deps: dataset_repos_by_view, curated_extra_datasets, org_universe
-- outputs: indicators/data/num_language, indicators/data/num_speech, indicators/data/num_vision, indicators/data/num_multimodal, indicators/data/num_embodied,
-- outputs: indicators/data/downloads_language, indicators/data/downloads_speech, indicators/data/downloads_vision, indicators/data/downloads_multimodal, indicators/data/downloads_embodied,
-- outputs: indicators/data/dataset_usage
-- audit: unique(view, dimension, indicator, org); not_null(org, value); minimum(value=0)
WITH catalogue(indicator, position, measure, modality) AS (
    VALUES ('num_language', 1, 'count', 'Language'), ('num_speech', 2, 'count', 'Speech'), ('num_vision', 3, 'count', 'Vision'),
           ('num_multimodal', 4, 'count', 'Multimodal'), ('num_embodied', 5, 'count', 'Embodied'),
           ('downloads_language', 6, 'downloads', 'Language'), ('downloads_speech', 7, 'downloads', 'Speech'),
           ('downloads_vision', 8, 'downloads', 'Vision'), ('downloads_multimodal', 9, 'downloads', 'Multimodal'),
           ('downloads_embodied', 10, 'downloads', 'Embodied'), ('dataset_usage', 11, 'usage', NULL)
),
repos AS (SELECT * FROM dataset_repos_by_view WHERE month = $month),
extra AS (SELECT org, modality, count(*) AS n FROM curated_extra_datasets WHERE month = $month GROUP BY ALL),
per_modality AS (
    SELECT view, org, modality, count(*) AS n, sum(downloads) AS downloads FROM repos GROUP BY ALL
),
usage AS (SELECT view, org, sum(dataset_usage) AS usage FROM repos GROUP BY ALL),
grid AS (
    SELECT v.view, u.org, c.* FROM (VALUES ('monthly'), ('accumulated')) AS v(view) CROSS JOIN org_universe AS u CROSS JOIN catalogue AS c
    WHERE u.month = $month
)
SELECT g.view, 'data' AS dimension, g.indicator, g.position, g.org,
       CAST(CASE g.measure
           WHEN 'count' THEN coalesce(m.n, 0) + coalesce(e.n, 0)
           WHEN 'downloads' THEN coalesce(m.downloads, 0)
           ELSE coalesce(u.usage, 0)
       END AS DOUBLE) AS value
FROM grid AS g
LEFT JOIN per_modality AS m ON m.view = g.view AND m.org = g.org AND m.modality = g.modality
LEFT JOIN extra AS e ON e.org = g.org AND e.modality = g.modality
LEFT JOIN usage AS u ON u.view = g.view AND u.org = g.org

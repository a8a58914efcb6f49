-- description: Model usage volume: monthly downloads of large models per modality, and derived models in the model tree.
-- table: indicator_values
-- deps: model_repos_by_view, org_universe
-- outputs: indicators/model/downloads_vision, indicators/model/downloads_language, indicators/model/downloads_speech, indicators/model/downloads_3d,
-- outputs: indicators/model/downloads_multimodal, indicators/model/downloads_protein, indicators/model/downloads_vector, indicators/model/descendants
-- audit: unique(view, dimension, indicator, org); not_null(org, value); minimum(value=0)
WITH catalogue(indicator, position, modality) AS (
    VALUES ('downloads_vision', 1, 'Vision'), ('downloads_language', 2, 'Language'), ('downloads_speech', 3, 'Speech'),
           ('downloads_3d', 4, '3D'), ('downloads_multimodal', 5, 'Multimodal'), ('downloads_protein', 6, 'Protein'),
           ('downloads_vector', 7, 'Vector'), ('descendants', 8, NULL)
),
repos AS (SELECT * FROM model_repos_by_view WHERE month = $month),
per_modality AS (SELECT view, org, modality, sum(downloads) AS downloads FROM repos GROUP BY ALL),
derived AS (SELECT view, org, sum(descendants) AS descendants FROM repos GROUP BY ALL),
grid AS (
    SELECT v.view, u.org, c.* FROM (VALUES ('monthly'), ('accumulated')) AS v(view) CROSS JOIN org_universe AS u CROSS JOIN catalogue AS c
    WHERE u.month = $month
)
SELECT g.view, 'model' AS dimension, g.indicator, g.position, g.org,
       CAST(CASE WHEN g.modality IS NULL THEN coalesce(d.descendants, 0) ELSE coalesce(m.downloads, 0) END AS DOUBLE) AS value
FROM grid AS g
LEFT JOIN per_modality AS m ON m.view = g.view AND m.org = g.org AND m.modality = g.modality
LEFT JOIN derived AS d ON d.view = g.view AND d.org = g.org

-- description: Per registered organisation: how far its models can be trusted, download-weighted (a model used a million times counts more than a test upload), the share of its downloads in unsafe formats, and how many of its models look-alikes imitate.
-- deps: model_scorecards, model_cards, model_lookalikes
-- audit: unique(org); not_null(org, models); between(mean_score=0:10, unsafe_download_share=0:1)
WITH cards AS (
    SELECT s.org, s.model, s.score, s.flags, coalesce(c.downloads, 0) AS downloads
    FROM model_scorecards AS s
    JOIN model_cards AS c ON c.month = s.month AND c.model = s.model
    WHERE s.month = $month AND s.org IS NOT NULL
),
imitated AS (
    SELECT imitated AS model, count(*) AS lookalikes FROM model_lookalikes WHERE month = $month GROUP BY ALL
)
SELECT c.org,
       count(*) AS models,
       CAST(sum(c.downloads) AS BIGINT) AS downloads,
       -- +1: a month where nobody downloaded still has a mean
       sum(c.score * (c.downloads + 1)) / nullif(sum(c.downloads + 1) FILTER (c.score IS NOT NULL), 0) AS mean_score,
       coalesce(sum(c.downloads) FILTER (list_contains(c.flags, 'unsafe_files')) / nullif(sum(c.downloads), 0), 0) AS unsafe_download_share,
       count(i.model) AS imitated_models,
       CAST(coalesce(sum(i.lookalikes), 0) AS BIGINT) AS lookalikes
FROM cards AS c
LEFT JOIN imitated AS i ON i.model = c.model
GROUP BY c.org

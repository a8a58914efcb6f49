-- description: The leaderboard per registered organisation (its Hugging Face accounts, case-insensitive): its models on the month's leaderboard, their best average, the community's derivatives of them (models by other authors whose base model is one of the organisation's), and the most the community's non-merge derivatives improved one of its models (average points).
-- deps: leaderboard_models, registry_accounts
-- audit: unique(org); not_null(org, models); minimum(models=1, community_derivatives=0)
WITH accounts AS (
    SELECT DISTINCT org, lower(account) AS author FROM registry_accounts WHERE month = $month AND platform = 'HuggingFace'
),
models AS (SELECT * FROM leaderboard_models WHERE month = $month),
own AS (SELECT a.org, m.model, m.average FROM accounts AS a JOIN models AS m ON lower(m.author) = a.author),
community AS (
    SELECT o.org, d.average - o.average AS improvement, NOT coalesce(d.merged, false) AND d.type <> 'merge' AS attributable
    FROM own AS o
    JOIN models AS d ON d.base_model = o.model
    WHERE NOT EXISTS (SELECT 1 FROM accounts AS a WHERE a.org = o.org AND a.author = lower(d.author))
),
own_summary AS (SELECT org, count(*) AS models, max(average) AS best_average FROM own GROUP BY org),
community_summary AS (
    SELECT org, count(*) AS community_derivatives, max(improvement) FILTER (WHERE attributable) AS community_improvement FROM community GROUP BY org
)
SELECT s.org, s.models, s.best_average, coalesce(c.community_derivatives, 0) AS community_derivatives, c.community_improvement
FROM own_summary AS s
LEFT JOIN community_summary AS c USING (org)

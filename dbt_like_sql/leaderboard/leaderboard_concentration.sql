-- description: How concentrated the month's leaderboard is: models, authors (the model id's part before '/'), the share of models by the 10 and by the 200 authors with the most models, and the Gini coefficient of models per author. No row for a month without a leaderboard.
-- deps: leaderboard_models
-- audit: not_null(models, authors, top10_share, top200_share, gini); between(top10_share=0:1, top200_share=0:1, gini=0:1)
WITH per_author AS (
    SELECT author, count(*) AS models FROM leaderboard_models WHERE month = $month GROUP BY author
),
ranked AS (
    -- Which of several equally prolific authors comes first never changes a sum of their counts.
    SELECT models, row_number() OVER (ORDER BY models DESC) AS largest_first, row_number() OVER (ORDER BY models) AS smallest_first
    FROM per_author
)
SELECT CAST(sum(models) AS BIGINT) AS models, count(*) AS authors,
       sum(models) FILTER (WHERE largest_first <= 10) / sum(models) AS top10_share,
       sum(models) FILTER (WHERE largest_first <= 200) / sum(models) AS top200_share,
       -- Gini over the sorted counts x_1 <= ... <= x_n: 2 * sum(i * x_i) / (n * sum(x)) - (n + 1) / n.
       2 * sum(smallest_first * models) / (count(*) * sum(models)) - (count(*) + 1) / count(*) AS gini
FROM ranked
HAVING count(*) > 0

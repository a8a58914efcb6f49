-- rank_change > 0: moved up. overall_effect: the change of this dimension's weight / log2(rank + 1).
WITH ranked AS (
    SELECT r.month, r.dimension, r.rank, r.score, p.overall_weight / log2(r.rank + 1) AS contribution, p.dimension_position
    FROM dimension_rankings AS r JOIN scoring_profile AS p ON p.month = r.month AND p.dimension = r.dimension
    WHERE r.view = $view AND r.org = $org AND r.month IN ($from_month, $to_month)
)
SELECT dimension, a.rank AS rank_from, b.rank AS rank_to, a.rank - b.rank AS rank_change,
       a.score AS score_from, b.score AS score_to, b.score - a.score AS score_change,
       b.contribution - a.contribution AS overall_effect
FROM (SELECT * FROM ranked WHERE month = $from_month) AS a
FULL JOIN (SELECT * FROM ranked WHERE month = $to_month) AS b USING (dimension)
ORDER BY coalesce(a.dimension_position, b.dimension_position)

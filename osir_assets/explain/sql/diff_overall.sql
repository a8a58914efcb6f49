SELECT a.rank AS rank_from, b.rank AS rank_to, a.rank - b.rank AS rank_change, a.score AS score_from, b.score AS score_to,
       b.score - a.score AS score_change
FROM (SELECT * FROM influence_scores WHERE month = $from_month AND view = $view AND org = $org) AS a
FULL JOIN (SELECT * FROM influence_scores WHERE month = $to_month AND view = $view AND org = $org) AS b USING (org)

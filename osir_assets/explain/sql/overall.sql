SELECT s.org, s.rank, s.score, s.delta_rank, s.previous_month, s.data, s.model, s.infra, s.eval,
       (SELECT count(*) FROM influence_scores WHERE month = $month AND view = $view) AS organisations_ranked
FROM influence_scores AS s
WHERE s.month = $month AND s.view = $view AND s.org = $org

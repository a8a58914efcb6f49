-- component = 1 / log2(rank + 1); contribution = overall weight * component (the contributions add up to the score).
SELECT r.dimension, r.rank, r.score, r.delta_rank, r.indicators_used,
       (SELECT count(*) FROM dimension_rankings AS a WHERE a.month = r.month AND a.view = r.view AND a.dimension = r.dimension) AS organisations,
       1.0 / log2(r.rank + 1) AS component, p.overall_weight AS weight, p.overall_weight / log2(r.rank + 1) AS contribution,
       p.method, p.normalisation
FROM dimension_rankings AS r
JOIN scoring_profile AS p ON p.month = r.month AND p.dimension = r.dimension
WHERE r.month = $month AND r.view = $view AND r.org = $org AND (r.dimension = $dimension OR $dimension IS NULL)
ORDER BY p.dimension_position

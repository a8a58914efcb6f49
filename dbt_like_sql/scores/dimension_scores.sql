-- description: Each organisation's score per dimension (mean, or weighted mean, of its normalised indicators) and its dense rank, best first.
-- deps: normalised_indicators, scoring_profile
-- Normalised values are added left to right in column order, as the published tables were, so scores
-- agree to the last bit; NULL (an all-zero column) is skipped and shrinks the denominator.
WITH scored AS (
    SELECT view, dimension, org,
           list_reduce(list(normalised * weight ORDER BY position) FILTER (WHERE normalised IS NOT NULL), (a, b) -> a + b, 0.0::DOUBLE)
               / nullif(sum(weight) FILTER (WHERE normalised IS NOT NULL), 0) AS score,
           count(normalised) AS indicators_used
    FROM normalised_indicators
    WHERE month = $month
    GROUP BY ALL
)
SELECT *, dense_rank() OVER (PARTITION BY view, dimension ORDER BY score DESC NULLS LAST) AS rank
FROM scored

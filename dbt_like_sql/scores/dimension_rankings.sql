-- description: Dimension ranks with their movement: delta rank = last month's rank - this month's (positive: moved up), when last month's snapshot was 30 +- 15 days earlier; empty for organisations new to the table.
-- deps: dimension_scores[-1:0], month_snapshot[-1:0]
WITH this_month AS (SELECT snapshot_date FROM month_snapshot WHERE month = $month),
previous AS (
    SELECT d.view, d.dimension, d.org, d.rank, d.month
    FROM dimension_scores AS d
    JOIN month_snapshot AS s ON s.month = d.month
    WHERE d.month = CAST($month - INTERVAL 1 MONTH AS DATE)
      AND abs(date_diff('day', s.snapshot_date, (SELECT snapshot_date FROM this_month) - 30)) <= 15
),
compared AS (SELECT DISTINCT view, dimension, month AS previous_month FROM previous)
SELECT c.view, c.dimension, c.org, c.score, c.rank, c.indicators_used,
       p.rank - c.rank AS delta_rank, m.previous_month
FROM dimension_scores AS c
LEFT JOIN previous AS p USING (view, dimension, org)
LEFT JOIN compared AS m USING (view, dimension)
WHERE c.month = $month

-- description: The published ranking: overall score and rank per organisation, in the month's table order, with delta rank against last month (30 +- 15 days earlier; empty for newcomers).
-- deps: overall_scores[-1:0], month_snapshot[-1:0], org_universe
WITH this_month AS (SELECT snapshot_date FROM month_snapshot WHERE month = $month),
previous AS (
    SELECT o.view, o.org, o.rank, o.month
    FROM overall_scores AS o
    JOIN month_snapshot AS s ON s.month = o.month
    WHERE o.month = CAST($month - INTERVAL 1 MONTH AS DATE)
      AND abs(date_diff('day', s.snapshot_date, (SELECT snapshot_date FROM this_month) - 30)) <= 15
),
compared AS (SELECT DISTINCT view, month AS previous_month FROM previous)
SELECT c.view, c.org, u.org_position, c.data, c.model, c.infra, c.eval, c.score, c.rank,
       p.rank - c.rank AS delta_rank, m.previous_month
FROM overall_scores AS c
JOIN org_universe AS u ON u.month = c.month AND u.org = c.org
LEFT JOIN previous AS p ON p.view = c.view AND p.org = c.org
LEFT JOIN compared AS m ON m.view = c.view
WHERE c.month = $month

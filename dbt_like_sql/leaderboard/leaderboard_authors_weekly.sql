-- description: Authors per week of submission (weeks start on Monday): models submitted, authors submitting, authors seen for the first time, and all authors seen so far. Models without a submission date are left out.
-- deps: leaderboard_models
-- audit: unique(week); not_null(week); minimum(models=1, active_authors=1, new_authors=0, total_authors=1)
WITH dated AS (
    SELECT author, CAST(date_trunc('week', submission_date) AS DATE) AS week
    FROM leaderboard_models
    WHERE month = $month AND submission_date IS NOT NULL
),
newcomers AS (
    SELECT first_week AS week, count(*) AS new_authors FROM (SELECT author, min(week) AS first_week FROM dated GROUP BY author) GROUP BY first_week
),
weekly AS (SELECT week, count(*) AS models, count(DISTINCT author) AS active_authors FROM dated GROUP BY week)
SELECT w.week, w.models, w.active_authors, coalesce(n.new_authors, 0) AS new_authors,
       CAST(sum(coalesce(n.new_authors, 0)) OVER (ORDER BY w.week) AS BIGINT) AS total_authors
FROM weekly AS w
LEFT JOIN newcomers AS n USING (week)

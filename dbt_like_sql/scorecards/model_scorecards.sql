-- description: One scorecard per model and month: the four categories (each the mean of its collected factors), the final score (their weighted mean, 0-10), the share of factors collected, and the flags. A dangerous pickle import or an antivirus finding sets security to 0 whatever the other factors say.
-- deps: model_scorecard_points, model_cards, scorecard_profile
-- audit: unique(model); not_null(model, platform, coverage, partial); between(popularity=0:10, activity=0:10, operational=0:10, security=0:10, score=0:10, coverage=0:1)
WITH categories AS (
    SELECT model, org, imitated, partial, list_avg(popularity) AS popularity, list_avg(activity) AS activity, list_avg(operational) AS operational,
           list_avg(security) AS security, list_count(every_factor) / len(every_factor) AS coverage
    FROM (
        SELECT model, org, imitated, partial,
               list_value(*COLUMNS('^popularity_')) AS popularity, list_value(*COLUMNS('^activity_')) AS activity,
               list_value(*COLUMNS('^operational_')) AS operational, list_value(*COLUMNS('^security_')) AS security,
               list_value(*COLUMNS('^(popularity|activity|operational|security)_')) AS every_factor
        FROM model_scorecard_points
        WHERE month = $month
    )
),
weights AS (
    SELECT max(value) FILTER (key = 'popularity') AS popularity, max(value) FILTER (key = 'activity') AS activity,
           max(value) FILTER (key = 'operational') AS operational, max(value) FILTER (key = 'security') AS security
    FROM scorecard_profile WHERE month = $month AND section = 'weight'
),
cards AS (
    SELECT c.*, len(c.dangerous_imports) > 0 AS dangerous_pickle, len(c.infected_files) > 0 AS infected
    FROM model_cards AS c
    WHERE c.month = $month
),
hard AS (
    SELECT k.model, g.org, k.platform, g.partial, g.popularity, g.activity, g.operational,
           CASE WHEN coalesce(k.dangerous_pickle OR k.infected, false) THEN 0.0 ELSE g.security END AS security, g.coverage,
           list_filter([
               CASE WHEN len(k.pickle_files) > 0 OR k.remote_code OR k.infected THEN 'unsafe_files' END,
               CASE WHEN k.dangerous_pickle THEN 'dangerous_pickle' END,
               CASE WHEN k.gated NOT IN ('false') THEN 'gated' END,
               CASE WHEN k.license = '' THEN 'no_license' END,
               CASE WHEN g.imitated IS NOT NULL THEN 'typosquat:' || g.imitated END
           ], f -> f IS NOT NULL) AS flags
    FROM cards AS k
    JOIN categories AS g ON g.model = k.model
)
SELECT h.model, h.org, h.platform, h.popularity, h.activity, h.operational, h.security,
       -- weighted mean over the categories that have a collected factor (their weights rescaled to sum 1)
       (coalesce(w.popularity * h.popularity, 0) + coalesce(w.activity * h.activity, 0) + coalesce(w.operational * h.operational, 0) + coalesce(w.security * h.security, 0))
         / nullif(CASE WHEN h.popularity IS NOT NULL THEN w.popularity ELSE 0 END + CASE WHEN h.activity IS NOT NULL THEN w.activity ELSE 0 END
                  + CASE WHEN h.operational IS NOT NULL THEN w.operational ELSE 0 END + CASE WHEN h.security IS NOT NULL THEN w.security ELSE 0 END, 0) AS score,
       CAST(h.coverage AS DOUBLE) AS coverage, CAST(h.flags AS VARCHAR[]) AS flags, h.partial
FROM hard AS h
CROSS JOIN weights AS w

-- description: Every model counted in any month up to this one, once per organisation and name: monthly downloads summed over those months, the other counters and labels as last seen.
-- deps: merged_model_repos[:0]
SELECT org, name,
       arg_max_null(account, month) AS account,
       arg_max_null(modality, month) AS modality,
       sum(downloads_last_month)::BIGINT AS downloads_last_month,
       arg_max_null(likes, month) AS likes,
       arg_max_null(community, month) AS community,
       arg_max_null(descendants, month) AS descendants,
       count(*) AS months_counted,
       min(month) AS first_month
FROM merged_model_repos
WHERE month <= $month
GROUP BY org, name

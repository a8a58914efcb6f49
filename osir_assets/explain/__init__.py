"""Explain a score: from an organisation's overall rank down to the repositories behind its raw values.

Four levels, one set-based query each (``sql/``), all read from the tables the graph wrote for the month:

1. overall      influence_scores: score = sum over dimensions of weight / log2(dimension rank + 1)
2. dimensions   dimension_rankings + scoring_profile: each dimension's rank, score and its share of the overall score
3. indicators   normalised_indicators: raw value, column maximum and the organisation that set it,
                normalised value, weight, and its share of the dimension score (normalised * weight / weights used)
4. repositories *_repos_by_view (+ the month's stg_*_repos per platform record, curated extra datasets):
                the repositories whose figures add up to each repository-derived raw value, largest first

``osir diff`` compares two months at levels 1-3: what the rank did per dimension and which indicators'
contributions moved most, and whether the organisation's own value or the column maximum moved them.

    queries.py    the queries and what they return (Explanation, Diff)
    rendering.py  the terminal output
    cli.py        the `osir explain` and `osir diff` handlers
    asset.py      score_explanations: the same breakdown for the month's leaders, as metadata in the Dagster UI
"""

"""Explain a score: from an organisation's overall rank down to the repositories behind its raw values.

Four levels, one set-based query each, all read from the tables the graph wrote for the month:

1. overall      influence_scores: score = sum over dimensions of weight / log2(dimension rank + 1)
2. dimensions   dimension_rankings + scoring_profile: each dimension's rank, score and its share of the overall score
3. indicators   normalised_indicators: raw value, column maximum and the organisation that set it,
                normalised value, weight, and its share of the dimension score (normalised * weight / weights used)
4. repositories *_repos_by_view (+ the month's stg_*_repos per platform record, curated extra datasets):
                the repositories whose figures add up to each repository-derived raw value, largest first

``osir diff`` compares two months at levels 1-3: what the rank did per dimension and which indicators'
contributions moved most, and whether the organisation's own value or the column maximum moved them.

The same breakdown is the metadata of the ``score_explanations`` asset in the Dagster UI.
"""


import argparse
import datetime as dt
import difflib
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
from dagster import AssetExecutionContext, BackfillPolicy, MaterializeResult, MetadataValue, asset

from osir_assets.errors import OsirInputError
from osir_assets.lib.duckdb_store import DEFAULT_DB, DuckDBStore
from osir_assets.partitions import month_of, monthly_partitions

OVERALL_SQL = """
SELECT s.org, s.rank, s.score, s.delta_rank, s.previous_month, s.data, s.model, s.infra, s.eval,
       (SELECT count(*) FROM influence_scores WHERE month = $month AND view = $view) AS organisations_ranked
FROM influence_scores AS s
WHERE s.month = $month AND s.view = $view AND s.org = $org
"""

# component = 1 / log2(rank + 1); contribution = overall weight * component (the contributions add up to the score).
DIMENSIONS_SQL = """
SELECT r.dimension, r.rank, r.score, r.delta_rank, r.indicators_used,
       (SELECT count(*) FROM dimension_rankings AS a WHERE a.month = r.month AND a.view = r.view AND a.dimension = r.dimension) AS organisations,
       1.0 / log2(r.rank + 1) AS component, p.overall_weight AS weight, p.overall_weight / log2(r.rank + 1) AS contribution,
       p.method, p.normalisation
FROM dimension_rankings AS r
JOIN scoring_profile AS p ON p.month = r.month AND p.dimension = r.dimension
WHERE r.month = $month AND r.view = $view AND r.org = $org AND (r.dimension = $dimension OR $dimension IS NULL)
ORDER BY p.dimension_position
"""

# share = normalised * weight / (weights of the indicators used), so the shares add up to the dimension score.
# value_rank: where the organisation's raw value stands in the column (1 = it set the maximum).
INDICATORS_SQL = """
WITH column_ranks AS (
    SELECT n.*, dense_rank() OVER (PARTITION BY n.dimension, n.indicator ORDER BY n.value DESC) AS value_rank
    FROM normalised_indicators AS n
    WHERE n.month = $month AND n.view = $view
),
curated AS (
    SELECT DISTINCT 'infra' AS dimension, snapshot_date FROM curated_infra_indicators WHERE month = $month
    UNION ALL
    SELECT DISTINCT 'eval', snapshot_date FROM curated_eval_indicators WHERE month = $month
),
constants AS (SELECT DISTINCT constant FROM registry_org_constants WHERE month = $month)
SELECT n.dimension, n.indicator, n.position, n.value, n.value_rank, n.column_max, n.max_org, n.column_min, n.normalised, n.weight,
       n.normalised * n.weight / sum(n.weight) FILTER (WHERE n.normalised IS NOT NULL) OVER (PARTITION BY n.dimension) AS share,
       CASE
           WHEN c.snapshot_date IS NOT NULL THEN n.dimension || '-summary.csv of ' || strftime(c.snapshot_date, '%Y-%m-%d')
           WHEN k.constant IS NOT NULL THEN 'registry constant'
           ELSE 'repositories'
       END AS source
FROM column_ranks AS n
JOIN scoring_profile AS p ON p.month = $month AND p.dimension = n.dimension
LEFT JOIN curated AS c ON c.dimension = n.dimension
LEFT JOIN constants AS k ON k.constant = n.indicator
WHERE n.org = $org AND (n.dimension = $dimension OR $dimension IS NULL)
ORDER BY p.dimension_position, n.position
"""

# Which indicators a repository feeds follows the indicator SQL files' naming: num_<modality>,
# downloads_<modality>, num_<lifecycle>, downloads_<lifecycle> (lower case, without '-'), and the totals
# descendants, likes, issue, dataset_usage. A count indicator counts each repository once (figure 1).
REPOSITORIES_SQL = """
WITH wanted AS (
    SELECT dimension, indicator, value FROM normalised_indicators
    WHERE month = $month AND view = $view AND org = $org AND dimension IN ('data', 'model')
      AND (dimension = $dimension OR $dimension IS NULL)
),
repos AS (
    SELECT 'model' AS dimension, account, name, 'repositories' AS origin, lower(replace(modality, '-', '')) AS modality_key,
           NULL AS lifecycle_key, downloads, descendants, likes, community AS issue, NULL::BIGINT AS dataset_usage
    FROM model_repos_by_view WHERE month = $month AND view = $view AND org = $org
    UNION ALL
    SELECT 'data', account, name, 'repositories', lower(replace(modality, '-', '')), lower(replace(lifecycle, '-', '')),
           downloads, NULL, NULL, NULL, dataset_usage
    FROM dataset_repos_by_view WHERE month = $month AND view = $view AND org = $org
    UNION ALL
    -- Curated datasets published outside the platforms add to the data counts only.
    SELECT 'data', repo, dataset_name, 'other-source-datasets.jsonl', lower(replace(modality, '-', '')), lower(replace(lifecycle, '-', '')),
           NULL, NULL, NULL, NULL, NULL
    FROM curated_extra_datasets WHERE month = $month AND org = $org
),
feeds AS (
    SELECT dimension, account, name, origin, downloads,
           unnest([
               {'indicator': 'num_' || modality_key, 'figure': 1::DOUBLE},
               {'indicator': 'downloads_' || modality_key, 'figure': downloads::DOUBLE},
               {'indicator': 'num_' || lifecycle_key, 'figure': 1::DOUBLE},
               {'indicator': 'downloads_' || lifecycle_key, 'figure': downloads::DOUBLE},
               {'indicator': 'descendants', 'figure': descendants::DOUBLE},
               {'indicator': 'likes', 'figure': likes::DOUBLE},
               {'indicator': 'issue', 'figure': issue::DOUBLE},
               {'indicator': 'dataset_usage', 'figure': dataset_usage::DOUBLE}
           ], max_depth := 2)
    FROM repos
),
contributions AS (
    SELECT f.dimension, f.indicator, w.value, f.account, f.name, f.origin, f.figure, f.downloads,
           count(*) OVER per_indicator AS repositories,
           sum(f.figure) OVER per_indicator AS figures_total,
           row_number() OVER (PARTITION BY f.dimension, f.indicator ORDER BY f.figure DESC, f.downloads DESC NULLS LAST, f.account, f.name) AS place
    FROM feeds AS f
    JOIN wanted AS w ON w.dimension = f.dimension AND w.indicator = f.indicator
    WHERE f.figure IS NOT NULL
    WINDOW per_indicator AS (PARTITION BY f.dimension, f.indicator)
),
platform_records AS (
    SELECT 'model' AS dimension, account, name, platform, downloads_last_month FROM stg_model_repos WHERE month = $month AND org = $org
    UNION ALL
    SELECT 'data', account, name, platform, downloads_last_month FROM stg_dataset_repos WHERE month = $month AND org = $org
),
-- One line per merged repository: every platform record of it this month (the merge adds positive downloads).
platforms AS (
    SELECT dimension, name, string_agg(platform || ' ' || account || '/' || name || ' (' || downloads_last_month || ')', '; ' ORDER BY platform, account) AS records
    FROM platform_records GROUP BY ALL
)
SELECT c.dimension, c.indicator, c.value, c.place, c.account || '/' || c.name AS repository, c.origin, c.figure, c.downloads,
       c.repositories, c.figures_total, coalesce(p.records, c.origin) AS platform_records
FROM contributions AS c
LEFT JOIN platforms AS p ON p.dimension = c.dimension AND p.name = c.name AND c.origin = 'repositories'
WHERE c.place <= $top
ORDER BY c.dimension, c.indicator, c.place
"""

DIFF_OVERALL_SQL = """
SELECT a.rank AS rank_from, b.rank AS rank_to, a.rank - b.rank AS rank_change, a.score AS score_from, b.score AS score_to,
       b.score - a.score AS score_change
FROM (SELECT * FROM influence_scores WHERE month = $from_month AND view = $view AND org = $org) AS a
FULL JOIN (SELECT * FROM influence_scores WHERE month = $to_month AND view = $view AND org = $org) AS b USING (org)
"""

# rank_change > 0: moved up. overall_effect: the change of this dimension's weight / log2(rank + 1).
DIFF_DIMENSIONS_SQL = """
WITH ranked AS (
    SELECT r.month, r.dimension, r.rank, r.score, p.overall_weight / log2(r.rank + 1) AS contribution, p.dimension_position
    FROM dimension_rankings AS r JOIN scoring_profile AS p ON p.month = r.month AND p.dimension = r.dimension
    WHERE r.view = $view AND r.org = $org AND r.month IN ($from_month, $to_month)
)
SELECT dimension, a.rank AS rank_from, b.rank AS rank_to, a.rank - b.rank AS rank_change,
       a.score AS score_from, b.score AS score_to, b.score - a.score AS score_change,
       b.contribution - a.contribution AS overall_effect
FROM (SELECT * FROM ranked WHERE month = $from_month) AS a
FULL JOIN (SELECT * FROM ranked WHERE month = $to_month) AS b USING (dimension)
ORDER BY coalesce(a.dimension_position, b.dimension_position)
"""

# An indicator's contribution is its share of the dimension score; the ones that moved most, per dimension.
DIFF_INDICATORS_SQL = """
WITH shares AS (
    SELECT month, dimension, indicator, position, value, column_max, max_org,
           normalised * weight / sum(weight) FILTER (WHERE normalised IS NOT NULL) OVER (PARTITION BY month, dimension) AS share
    FROM normalised_indicators
    WHERE view = $view AND org = $org AND month IN ($from_month, $to_month)
),
compared AS (
    SELECT dimension, indicator, coalesce(a.position, b.position) AS position,
           a.value AS value_from, b.value AS value_to, a.column_max AS max_from, b.column_max AS max_to, b.max_org AS max_org_to,
           a.share AS share_from, b.share AS share_to, coalesce(b.share, 0) - coalesce(a.share, 0) AS share_change
    FROM (SELECT * FROM shares WHERE month = $from_month) AS a
    FULL JOIN (SELECT * FROM shares WHERE month = $to_month) AS b USING (dimension, indicator)
)
SELECT dimension, indicator, value_from, value_to, max_from, max_to, max_org_to, share_from, share_to, share_change,
       CASE
           WHEN value_from IS NULL THEN 'new indicator'
           WHEN value_to IS NULL THEN 'indicator dropped'
           WHEN value_from IS DISTINCT FROM value_to AND max_from IS DISTINCT FROM max_to THEN 'own value and column maximum'
           WHEN value_from IS DISTINCT FROM value_to THEN 'own value'
           WHEN max_from IS DISTINCT FROM max_to THEN 'column maximum'
           ELSE 'unchanged'
       END AS moved_by
FROM compared
QUALIFY row_number() OVER (PARTITION BY dimension ORDER BY abs(share_change) DESC, position) <= $top
ORDER BY dimension, abs(share_change) DESC
"""

# One row per organisation: overall rank and score, and per dimension its rank and the indicator that adds most to it.
TOP_ORGANISATIONS_SQL = """
WITH top_orgs AS (
    SELECT org, org_position, rank, score, delta_rank FROM influence_scores
    WHERE month = $month AND view = $view ORDER BY rank, org_position LIMIT $limit
),
best_indicator AS (
    SELECT dimension, org, arg_max(indicator, normalised * weight) AS indicator
    FROM normalised_indicators WHERE month = $month AND view = $view GROUP BY ALL
),
per_dimension AS (
    SELECT r.org, r.dimension, '#' || r.rank || ' (' || coalesce(b.indicator, '-') || ')' AS summary
    FROM dimension_rankings AS r LEFT JOIN best_indicator AS b USING (dimension, org)
    WHERE r.month = $month AND r.view = $view
)
SELECT t.rank, t.org, round(t.score, 4) AS score, t.delta_rank AS delta,
       max(d.summary) FILTER (WHERE d.dimension = 'data') AS data,
       max(d.summary) FILTER (WHERE d.dimension = 'model') AS model,
       max(d.summary) FILTER (WHERE d.dimension = 'infra') AS infra,
       max(d.summary) FILTER (WHERE d.dimension = 'eval') AS eval
FROM top_orgs AS t LEFT JOIN per_dimension AS d USING (org)
GROUP BY t.rank, t.org, t.org_position, t.score, t.delta_rank
ORDER BY t.rank, t.org_position
"""


@dataclass(frozen=True)
class Explanation:
    org: str
    month: dt.date
    view: str
    overall: pl.DataFrame  # one row
    dimensions: pl.DataFrame
    indicators: pl.DataFrame
    repositories: pl.DataFrame
    unscored: pl.DataFrame  # optional indicators computed for the month but not scored by its profile


@dataclass(frozen=True)
class Diff:
    org: str
    from_month: dt.date
    to_month: dt.date
    view: str
    overall: pl.DataFrame
    dimensions: pl.DataFrame
    indicators: pl.DataFrame


# Optional indicators (GitHub contributors, the Open LLM Leaderboard) the month's profile leaves out of the scores.
UNSCORED_SQL = """
SELECT v.dimension, v.indicator, v.value
FROM indicator_values AS v
JOIN scoring_profile AS p ON p.month = v.month AND p.dimension = v.dimension
WHERE v.month = $month AND v.view = $view AND v.org = $org AND (v.dimension = $dimension OR $dimension IS NULL)
  AND list_contains(p.unscored_indicators, v.indicator)
ORDER BY p.dimension_position, v.position
"""


def _query(con: duckdb.DuckDBPyConnection, sql: str, **params) -> pl.DataFrame:
    return con.execute(sql, params).pl()


def resolve_org(con: duckdb.DuckDBPyConnection, org: str, months: list[dt.date], view: str) -> str:
    """The organisation as ranked (names match case-insensitively), or an error naming the close ones."""
    known = [r[0] for r in con.execute(
        "SELECT DISTINCT org FROM influence_scores WHERE month IN (SELECT unnest($months)) AND view = $view ORDER BY org", {"months": months, "view": view}
    ).fetchall()]
    if not known:
        raise OsirInputError(f"no {view} ranking for {', '.join(f'{m:%Y-%m}' for m in months)} (is the month materialised and ranked?)")
    exact = [name for name in known if name.lower() == org.lower()]
    if exact:
        return exact[0]
    close = difflib.get_close_matches(org, known, n=3, cutoff=0.4)
    raise OsirInputError(f"'{org}' is not ranked in {', '.join(f'{m:%Y-%m}' for m in months)}" + (f"; did you mean {', '.join(close)}?" if close else ""))


def explain(con: duckdb.DuckDBPyConnection, org: str, month: dt.date, view: str = "monthly", dimension: str | None = None, top: int = 3) -> Explanation:
    org = resolve_org(con, org, [month], view)
    params = {"org": org, "month": month, "view": view}
    return Explanation(
        org=org,
        month=month,
        view=view,
        overall=_query(con, OVERALL_SQL, **params),
        dimensions=_query(con, DIMENSIONS_SQL, dimension=dimension, **params),
        indicators=_query(con, INDICATORS_SQL, dimension=dimension, **params),
        repositories=_query(con, REPOSITORIES_SQL, dimension=dimension, top=top, **params),
        unscored=_query(con, UNSCORED_SQL, dimension=dimension, **params),
    )


def diff(con: duckdb.DuckDBPyConnection, org: str, from_month: dt.date, to_month: dt.date, view: str = "monthly", top: int = 3) -> Diff:
    org = resolve_org(con, org, [from_month, to_month], view)
    params = {"org": org, "from_month": from_month, "to_month": to_month, "view": view}
    return Diff(
        org=org,
        from_month=from_month,
        to_month=to_month,
        view=view,
        overall=_query(con, DIFF_OVERALL_SQL, **params),
        dimensions=_query(con, DIFF_DIMENSIONS_SQL, **params),
        indicators=_query(con, DIFF_INDICATORS_SQL, top=top, **params),
    )


def top_organisations(con: duckdb.DuckDBPyConnection, month: dt.date, view: str = "monthly", limit: int = 10) -> pl.DataFrame:
    return _query(con, TOP_ORGANISATIONS_SQL, month=month, view=view, limit=limit)


# ---- presentation ----------------------------------------------------------------------------------


def markdown_table(frame: pl.DataFrame) -> str:
    """A GitHub-flavoured markdown table (what Dagster's MetadataValue.md renders)."""
    cells = frame.select(pl.all().cast(pl.String).fill_null(""))
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(row) + " |" for row in cells.iter_rows()]
    return "\n".join(lines)


def _signed(value) -> str:
    return "new" if value is None else f"{value:+d}" if isinstance(value, int) else f"{value:+.4f}"


def _print_table(frame: pl.DataFrame) -> None:
    with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_width_chars=300, fmt_str_lengths=200, tbl_hide_dataframe_shape=True,
                   tbl_hide_column_data_types=True, tbl_formatting="ASCII_MARKDOWN"):
        print(frame)


def render_explanation(e: Explanation) -> None:
    o = e.overall.row(0, named=True) if not e.overall.is_empty() else None
    print(f"OSIR score of {e.org}, {e.month:%Y-%m} ({e.view})")
    if o is None:
        print(f"\n{e.org} is not in the overall ranking this month (it is not ranked in all four dimensions).")
    else:
        moved = "" if o["previous_month"] is None else f", {_signed(o['delta_rank'])} since {o['previous_month']:%Y-%m}"
        print(f"\nOverall: rank {o['rank']} of {o['organisations_ranked']}{moved}; score {o['score']:.4f} = sum over dimensions of weight / log2(rank + 1)")
    if not e.dimensions.is_empty():
        _print_table(e.dimensions.select(
            "dimension", "rank", "organisations", pl.col("score").round(4), pl.col("component").round(4).alias("1/log2(rank+1)"),
            pl.col("weight").round(4), pl.col("contribution").round(4), pl.col("indicators_used").alias("indicators"), pl.col("delta_rank").alias("delta")))
    for (dimension,), rows in e.indicators.group_by("dimension", maintain_order=True):
        method = e.dimensions.filter(pl.col("dimension") == dimension)
        how = f"{method['method'][0]} of normalised indicators ({method['normalisation'][0]} normalisation)" if not method.is_empty() else ""
        print(f"\n{dimension}: {how}; share = normalised * weight / weights used, the shares add up to the score")
        _print_table(rows.select(
            "indicator", "value", pl.col("value_rank").alias("place"), pl.col("column_max").alias("max"), pl.col("max_org").alias("max set by"),
            pl.col("normalised").round(4), "weight", pl.col("share").round(4), "source"))
        repos = e.repositories.filter(pl.col("dimension") == dimension)
        if not repos.is_empty():
            print(f"\n{dimension}: repositories behind the raw values (largest first; figure = what the repository adds to the value)")
            _print_table(repos.select(
                "indicator", pl.col("place").alias("#"), "repository", "figure", "platform_records", "repositories",
                pl.col("figures_total").alias("sum of figures"), pl.col("value").alias("raw value")))
    if not e.unscored.is_empty():
        print("\nOptional indicators, computed but not scored (enable them with the scoring profile's optional_indicators)")
        _print_table(e.unscored)


def render_diff(d: Diff) -> None:
    print(f"OSIR rank of {d.org}: {d.from_month:%Y-%m} -> {d.to_month:%Y-%m} ({d.view})")
    if not d.overall.is_empty():
        o = d.overall.row(0, named=True)
        if o["rank_from"] is None or o["rank_to"] is None:
            print(f"\nOverall: ranked only in {d.to_month if o['rank_from'] is None else d.from_month:%Y-%m}")
        else:
            print(f"\nOverall: rank {o['rank_from']} -> {o['rank_to']} ({_signed(o['rank_change'])}, positive = moved up); score {o['score_from']:.4f} -> {o['score_to']:.4f} ({_signed(o['score_change'])})")
    print("\nPer dimension (overall effect: change of weight / log2(rank + 1))")
    _print_table(d.dimensions.with_columns(pl.col(c).round(4) for c in ("score_from", "score_to", "score_change", "overall_effect")))
    print("\nIndicators whose contribution (share of the dimension score) moved most")
    _print_table(d.indicators.select(
        "dimension", "indicator", "value_from", "value_to", "max_from", "max_to", pl.col("max_org_to").alias("max set by"),
        pl.col("share_change").round(4), "moved_by"))


# ---- CLI handlers (registered in osir_assets/cli.py) ------------------------------------------------


def _open_read_only(db: str):
    if not Path(db).exists():
        raise OsirInputError("database not found; run `osir run` or `osir reproduce` first", db)
    # Through the store: a run writing the file makes this wait (bounded) instead of failing at once.
    return DuckDBStore(path=db).connect(read_only=True)


def _latest_month(con) -> dt.date:
    try:
        month = con.execute("SELECT max(month) FROM influence_scores").fetchone()[0]
    except duckdb.CatalogException:
        month = None
    if month is None:
        raise OsirInputError("the database has no scores yet; run `osir run` or `osir reproduce` first")
    return month


def _db(args: argparse.Namespace) -> str:
    return args.db or os.environ.get("OSIR_DB", DEFAULT_DB)


def cmd_explain(args: argparse.Namespace) -> int:
    view = "accumulated" if args.accumulated else "monthly"
    with _open_read_only(_db(args)) as con:
        month = args.month or _latest_month(con)
        explanation = explain(con, args.org, month, view, None if args.dimension == "overall" else args.dimension, args.top)
    render_explanation(explanation)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    view = "accumulated" if args.accumulated else "monthly"
    with _open_read_only(_db(args)) as con:
        result = diff(con, args.org, args.from_month, args.to_month, view, args.top)
    render_diff(result)
    return 0


# ---- the Dagster asset ------------------------------------------------------------------------------


@asset(
    deps=["influence_scores"],
    group_name="scores",
    partitions_def=monthly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    description="Why the month's leaders lead: overall rank and score, and per dimension the rank and the indicator adding most (`osir explain` has the full walk).",
    kinds={"duckdb"},
)
def score_explanations(context: AssetExecutionContext, duckdb: DuckDBStore) -> MaterializeResult:
    sections, leaders, unranked = [], {}, []
    with duckdb.connect() as con:
        for key in sorted(context.partition_keys):
            month = month_of(key)
            table = top_organisations(con, month)
            if table.is_empty():
                unranked.append(f"{month:%Y-%m}")
                continue
            leaders[f"{month:%Y-%m}"] = table["org"][0]
            sections.append(f"### {month:%Y-%m} (monthly view)\n\n{markdown_table(table)}")
    notes = ["Each dimension: `#rank (the indicator adding most to its score)`. `osir explain ORG --month YYYY-MM` has the full walk."]
    if unranked:
        notes.append(f"Not ranked (no curated infrastructure table in force, or no scores): {', '.join(unranked)}.")
    return MaterializeResult(metadata={"leaders": leaders, "top_organisations": MetadataValue.md("\n\n".join(notes + sections))})

"""A static HTML report of one month: rankings, rank history charts and the indicator breakdown.

One self-contained file (``osir-YYYY-MM.html``): inline CSS, inline SVG charts (altair, rendered offline by
vl-convert) and one small inline script (the search box), no font, stylesheet or script from anywhere else, so it
opens offline and can be mailed or archived as it is.

    1. the overall ranking (monthly and accumulated) with each dimension's rank
    2. the four dimension rankings
    3. rank history per organisation: overall and dimension ranks over every ranked month up to this one
    4. the indicator breakdown: normalised value per organisation and indicator (shaded; the raw value,
       the column maximum and who set it on hover), with the maximum row under each table
    5. leaderboard analytics (osir_assets/leaderboard/report_section.py), when the month has a leaderboard

Tables are built as text by polars expressions over the query results (one query per section).

The search box at the top filters every searchable table of the page as the user types, with the syntax of
``osir search`` (``search_box.js``; matches are highlighted with ``<mark>``). A section joins it with markup alone,
as ``html_table(..., search_table=...)`` writes it:

    <table data-search-table="leaderboard" data-search-name="model">   what the table holds; the column of names
      <tr><th>model</th><th>license</th><th data-field="delta_rank">Δ rank</th></tr>
                                             each header's text (or data-field) is the field name, lower-cased
      <tr><td>meta-llama/Llama-3-8B</td><td data-value="apache-2.0">Apache 2.0</td>...</tr>
                                             data-value, when present, is what a field matches instead of the text
      <tr data-search-keep>...</tr>          a row that is always shown (e.g. a table's maximum row)
    </table>

For the same results as ``osir search --table leaderboard``, name the header cells after the table's columns and
give cells their stored value (as DuckDB casts it to text). A filter on a field a table lacks hides its rows and
says so, as the CLI refuses it.
"""

import argparse
import datetime as dt
import html
import os
from pathlib import Path

import altair as alt
import duckdb
import polars as pl

from osir_assets.errors import OsirInputError
from osir_assets.exports.parquet import write_month_parquet
from osir_assets.lib.charts import inline_svg
from osir_assets.lib.formatting import count, decimals, measure, signed_count
from osir_assets.lib.html_tables import escaped, html_table
from osir_assets.lib.month_status import from_sample, heading, no_ranking
from osir_assets.lib.package_files import package_path

DIMENSIONS = ("data", "model", "infra", "eval")
SERIES_COLOURS = {"overall": "#111827", "data": "#2563eb", "model": "#dc2626", "infra": "#16a34a", "eval": "#d97706"}

OVERALL_SQL = """
SELECT s.rank, s.org, s.score, s.delta_rank AS "Δ rank",
       any_value(r.rank) FILTER (WHERE r.dimension = 'data') AS data,
       any_value(r.rank) FILTER (WHERE r.dimension = 'model') AS model,
       any_value(r.rank) FILTER (WHERE r.dimension = 'infra') AS infra,
       any_value(r.rank) FILTER (WHERE r.dimension = 'eval') AS eval
FROM influence_scores AS s
LEFT JOIN dimension_rankings AS r ON r.month = s.month AND r.view = s.view AND r.org = s.org
WHERE s.month = $month AND s.view = $view
GROUP BY s.rank, s.org, s.org_position, s.score, s.delta_rank
ORDER BY s.rank, s.org_position
"""

DIMENSION_SQL = """
SELECT r.dimension, r.rank, r.org, r.score, r.delta_rank AS "Δ rank", r.indicators_used AS indicators
FROM dimension_rankings AS r
JOIN org_universe AS u ON u.month = r.month AND u.org = r.org
JOIN scoring_profile AS p ON p.month = r.month AND p.dimension = r.dimension
WHERE r.month = $month AND r.view = 'monthly'
ORDER BY p.dimension_position, r.rank, u.org_position
"""

# Overall and dimension ranks of this month's ranked organisations, over every ranked month up to this one.
HISTORY_SQL = """
WITH ranked_months AS (
    SELECT month, row_number() OVER (ORDER BY month) - 1 AS month_index, count(*) OVER () AS months
    FROM (SELECT DISTINCT month FROM influence_scores WHERE view = 'monthly' AND month <= $month)
),
organisations AS (SELECT org, rank AS current_rank, org_position FROM influence_scores WHERE month = $month AND view = 'monthly'),
series AS (
    SELECT month, org, 'overall' AS series, rank FROM influence_scores WHERE view = 'monthly' AND month <= $month
    UNION ALL
    SELECT month, org, dimension, rank FROM dimension_rankings WHERE view = 'monthly' AND month <= $month
)
SELECT s.org, o.current_rank, o.org_position, s.series, s.month, s.rank, m.month_index, m.months
FROM series AS s
JOIN organisations AS o USING (org)
JOIN ranked_months AS m USING (month)
ORDER BY o.current_rank, o.org_position, s.series, s.month
"""

BREAKDOWN_SQL = """
SELECT n.dimension, n.indicator, n.position, n.org, u.org_position, n.value, n.normalised, n.column_max, n.max_org
FROM normalised_indicators AS n
JOIN org_universe AS u ON u.month = n.month AND u.org = n.org
WHERE n.month = $month AND n.view = 'monthly'
ORDER BY n.dimension, u.org_position, n.position
"""

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1200px; color: #111827; padding: 0 1rem; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #e5e7eb; } .note { color: #6b7280; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.85rem; }
th, td { border: 1px solid #e5e7eb; padding: 0.2rem 0.45rem; text-align: right; }
th { background: #f3f4f6; } td.org, th.org { text-align: left; white-space: nowrap; }
.breakdown th { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: 500; }
.breakdown th.org { writing-mode: horizontal-tb; transform: none; }
.breakdown tr.max td { background: #f9fafb; font-style: italic; }
.grid { display: flex; flex-wrap: wrap; gap: 0.75rem; } .grid > div { margin: 0; }
.dimensions { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
.legend span { display: inline-block; margin-right: 1rem; } .legend i { display: inline-block; width: 1.2rem; height: 0.2rem; vertical-align: middle; margin-right: 0.3rem; }
figure { margin: 0; } figcaption, .caption { font-size: 0.8rem; font-weight: 600; margin: 0.2rem 0; }
.search { position: sticky; top: 0; background: #fff; padding: 0.5rem 0; z-index: 1; }
.search input { width: min(40rem, 100%); font-size: 1rem; padding: 0.3rem 0.5rem; } #search-notice { margin-left: 0.75rem; color: #6b7280; }
mark { background: #fde68a; padding: 0; }
"""

SEARCH_SCRIPT = package_path("exports", "search_box.js").read_text(encoding="utf-8")
SEARCH_BOX = (
    '<div class="search"><input type="search" id="search" autocomplete="off" aria-label="Search every table of this page" '
    'placeholder="Search: llama; 7b · meta @org:meta · llama-2-(7|13)b"><span id="search-notice" role="status"></span></div>'
)
FIELD_NAMES = {"Δ rank": "delta_rank"}  # headers shown differently from the column they hold


# Ranks and counts whole, scores with 4 decimals, rank changes signed (osir_assets/lib/formatting.py).
RANKING_FORMATS = {"rank": count, "score": decimals(4), "Δ rank": signed_count, "indicators": count, **{d: count for d in DIMENSIONS}}


def ranking_table(frame: pl.DataFrame) -> str:
    return html_table(frame, formats=RANKING_FORMATS, field_names=FIELD_NAMES)


def rank_history_charts(history: pl.DataFrame, width: int = 230, height: int = 110) -> str:
    """One small altair line chart per organisation: rank 1 at the top, months left to right."""
    if history.is_empty():
        return '<p class="note">No ranked months yet.</p>'
    worst = max(history["rank"].max(), 2)
    months = history.select(pl.col("month").unique().sort().dt.strftime("%Y-%m"))["month"].to_list()
    frame = history.with_columns(pl.col("month").dt.strftime("%Y-%m"))
    organisations = history.select("org", "current_rank", "org_position").unique().sort("current_rank", "org_position")
    chart = lambda org, rank: (
        alt.Chart(frame.filter(pl.col("org") == org), title=f"#{rank} {org}")
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", sort=months, scale=alt.Scale(domain=months), title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("rank:Q", scale=alt.Scale(domain=[1, worst], reverse=True), title="rank", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("series:N", scale=alt.Scale(domain=list(SERIES_COLOURS), range=list(SERIES_COLOURS.values())), legend=None),
            strokeWidth=alt.condition(alt.datum.series == "overall", alt.value(2.5), alt.value(1.2)),
        )
        .properties(width=width, height=height)
    )
    figures = [inline_svg(chart(org, rank), "rank-history", f"rank history of {org}") for org, rank, _ in organisations.iter_rows()]
    legend = "".join(f'<span><i style="background:{colour}"></i>{series}</span>' for series, colour in SERIES_COLOURS.items())
    return f'<p class="legend">{legend}</p>\n<div class="grid">\n' + "\n".join(figures) + "\n</div>"


def indicator_breakdown(breakdown: pl.DataFrame, dimension: str) -> str:
    """Organisations x indicators of one dimension: the normalised value, shaded by it; raw value and max on hover."""
    rows = breakdown.filter(pl.col("dimension") == dimension)
    if rows.is_empty():
        return '<p class="note">No indicators this month.</p>'
    order = rows.select("indicator", "position").unique().sort("position")["indicator"].to_list()
    cells = rows.with_columns(
        pl.format(
            '<td style="background: rgba(37, 99, 235, {})" title="{}: value {} of max {} ({})">{}</td>',
            (pl.col("normalised").fill_null(0) * 0.6).round(3), "indicator", measure(pl.col("value")), measure(pl.col("column_max")), escaped(pl.col("max_org")),
            pl.when(pl.col("normalised").is_null()).then(pl.lit("–")).otherwise(decimals(3)(pl.col("normalised"))),
        ).alias("cell")
    )
    wide = cells.pivot(on="indicator", index=["org", "org_position"], values="cell").sort("org_position")
    body = wide.select(pl.concat_str(pl.lit('<tr><td class="org">'), escaped(pl.col("org")), pl.lit("</td>"), *[pl.col(i) for i in order], pl.lit("</tr>")).alias("row"))
    maxima = rows.select("indicator", "column_max", "max_org").unique("indicator").sort(pl.col("indicator").replace_strict({i: n for n, i in enumerate(order)}))
    max_row = maxima.select(pl.format('<td title="set by {}">{}</td>', escaped(pl.col("max_org")), measure(pl.col("column_max"))).alias("cell"))["cell"].str.join("").item()
    head = '<tr><th class="org">organisation</th>' + "".join(f"<th>{html.escape(i)}</th>" for i in order) + "</tr>"
    return (
        f'<table class="breakdown" data-search-table="indicators" data-search-name="organisation">\n{head}\n' + "\n".join(body["row"])
        + f'\n<tr class="max" data-search-keep><td class="org">max (hover: set by)</td>{max_row}</tr>\n</table>'
    )


def build_report(con: duckdb.DuckDBPyConnection, month: dt.date) -> str:
    params = {"month": month}
    overall = con.execute(OVERALL_SQL, {**params, "view": "monthly"}).pl()
    if overall.is_empty():
        raise OsirInputError(no_ranking(con, month))
    sample = from_sample(con, [month])
    accumulated = con.execute(OVERALL_SQL, {**params, "view": "accumulated"}).pl()
    dimensions = con.execute(DIMENSION_SQL, params).pl()
    history = con.execute(HISTORY_SQL, params).pl()
    breakdown = con.execute(BREAKDOWN_SQL, params).pl()

    dimension_tables = "\n".join(
        f'<div><h3 id="rank-{d}">{d}</h3>\n{ranking_table(dimensions.filter(pl.col("dimension") == d).drop("dimension"))}</div>' for d in DIMENSIONS
    )
    breakdowns = "\n".join(f'<h3 id="indicators-{d}">{d}</h3>\n{indicator_breakdown(breakdown, d)}' for d in DIMENSIONS)
    # The leaderboard and scorecard domains draw their own sections (views beside the ranking, empty without their tables).
    from osir_assets.leaderboard.report_section import leaderboard_section
    from osir_assets.scorecards.report_section import scorecard_section

    return html_page(heading(f"OSIR {month:%Y-%m}", sample), f"""<h1>{html.escape(heading(f"OSIR influence ranking, {month:%Y-%m}", sample))}</h1>
<p class="note">The open-source influence ranking of the large-model technology stack. Overall score = sum over dimensions of
weight / log2(dimension rank + 1); a dimension's score is the mean of its normalised indicators. Δ rank: positive = moved up.
<code>osir explain ORG --month {month:%Y-%m}</code> walks a score back to its repositories.</p>
<p><a href="#overall">Overall</a> · <a href="#dimensions">Dimensions</a> · <a href="#history">Rank history</a> · <a href="#indicators">Indicators</a> · <a href="#leaderboard">Leaderboard</a> · <a href="#scorecards">Scorecards</a></p>
{SEARCH_BOX}

<h2 id="overall">Overall ranking</h2>
<p class="note">Monthly view; data, model, infra and eval are the dimension ranks.</p>
{ranking_table(overall)}
<h3 id="overall-accumulated">Accumulated view</h3>
{ranking_table(accumulated)}

<h2 id="dimensions">Dimension rankings</h2>
<div class="dimensions">
{dimension_tables}
</div>

<h2 id="history">Rank history</h2>
<p class="note">Ranks of this month's organisations in every ranked month up to {month:%Y-%m} (rank 1 at the top).</p>
{rank_history_charts(history)}

<h2 id="indicators">Indicator breakdown</h2>
<p class="note">Normalised value per organisation and indicator (darker = closer to the column maximum); hover a cell for the raw value.</p>
{breakdowns}

{leaderboard_section(con, month)}

{scorecard_section(con, month)}
""")


def html_page(title: str, body: str) -> str:
    """A whole page: the report's style, ``body``, and the search box's script over the tables in it."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{STYLE}</style>
</head>
<body>
{body}
<script>{SEARCH_SCRIPT}</script>
</body>
</html>
"""


def write_report(con: duckdb.DuckDBPyConnection, month: dt.date, out: Path, parquet: bool = True) -> list[Path]:
    """Write ``out/osir-YYYY-MM.html`` (and the month's tables under ``out/parquet/``); returns the paths written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    page = out / f"osir-{month:%Y-%m}.html"
    temporary = out / f".{page.name}.tmp"
    temporary.write_text(build_report(con, month), encoding="utf-8")
    temporary.replace(page)
    return [page, *(write_month_parquet(con, month, out / "parquet") if parquet else [])]


def cmd_report(args: argparse.Namespace) -> int:
    """``osir report --month YYYY-MM --out DIR``."""
    import sys

    from osir_assets.lib.duckdb_store import DEFAULT_DB
    from osir_assets.lib.duckdb_resource import DuckDBStore

    db = args.db or os.environ.get("OSIR_DB", DEFAULT_DB)
    if not Path(db).exists():
        raise OsirInputError("database not found; run `osir run` or `osir reproduce` first", db)
    with DuckDBStore(path=db).connect(read_only=True) as con:
        try:
            month = args.month or con.execute("SELECT max(month) FROM influence_scores").fetchone()[0]
        except duckdb.CatalogException:
            month = None
        if month is None:
            raise OsirInputError("the database has no scores yet; run `osir run` or `osir reproduce` first", db)
        written = write_report(con, month, Path(args.out), parquet=not args.no_parquet)
    print(f"osir: wrote {written[0]}" + (f" and {len(written) - 1} Parquet files under {Path(args.out) / 'parquet' / f'{month:%Y-%m}'}" if len(written) > 1 else ""), file=sys.stderr)
    return 0

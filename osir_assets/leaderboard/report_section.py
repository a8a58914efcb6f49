"""The report's leaderboard section: the month's figures and seed 003's pictures as altair charts (inline SVG).

Growth of authors, concentration, types and architectures over time, derivatives per base model, size against
score, improvement per base and over time, and the registered organisations on the leaderboard.
"""

import datetime as dt
import html

import altair as alt
import duckdb
import polars as pl

from osir_assets.leaderboard.figures import concentration, frames
from osir_assets.lib.charts import inline_svg
from osir_assets.lib.html_tables import html_table

WIDTH, HEIGHT, TOP = 400, 190, 15
NAMES = alt.Axis(labelLimit=230)  # model ids are long
WEEKS = alt.Axis(format="%Y-%m-%d", labelAngle=-30)


def _week(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col("week").cast(pl.Date))


def charts(tables: dict[str, pl.DataFrame]) -> list[tuple[str, alt.TopLevelMixin]]:
    """(caption, chart) for every picture whose figures the month has."""
    drawn = []
    if not tables["authors_weekly"].is_empty():
        growth = _week(tables["authors_weekly"]).unpivot(index="week", on=["total_authors", "new_authors"], variable_name="series", value_name="authors")
        drawn.append(("Authors on the leaderboard, by week of submission", alt.Chart(growth).mark_line().encode(
            x=alt.X("week:T", title=None, axis=WEEKS), y=alt.Y("authors:Q", title="authors"), color=alt.Color("series:N", title=None))))
    if not tables["models_per_author"].is_empty():
        drawn.append(("Models per author (concentration)", alt.Chart(tables["models_per_author"]).mark_bar().encode(
            x=alt.X("models:Q", bin=alt.Bin(maxbins=30), title="models of an author"),
            y=alt.Y("count():Q", scale=alt.Scale(type="symlog"), title="authors (symlog)"))))
    if not tables["types_weekly"].is_empty():
        drawn.append(("New models per week, by type", alt.Chart(_week(tables["types_weekly"])).mark_bar().encode(
            x=alt.X("week:T", title=None, axis=WEEKS), y=alt.Y("sum(models):Q", title="models"), color=alt.Color("type:N", title=None))))
    if not tables["architectures_weekly"].is_empty():
        drawn.append(("New models per week, by architecture (under 5% of models: other)", alt.Chart(_week(tables["architectures_weekly"])).mark_bar().encode(
            x=alt.X("week:T", title=None, axis=WEEKS), y=alt.Y("sum(models):Q", title="models"), color=alt.Color("architecture:N", title=None))))
    if not tables["derivatives"].is_empty():
        drawn.append((f"Derivatives per base model (top {TOP})", alt.Chart(tables["derivatives"].head(TOP)).mark_bar().encode(
            x=alt.X("derivatives:Q"), y=alt.Y("base_model:N", sort=None, title=None, axis=NAMES))))
    if not tables["size_against_score"].is_empty():
        points = alt.Chart(tables["size_against_score"]).mark_circle(size=14, opacity=0.5).encode(
            x=alt.X("params_b:Q", scale=alt.Scale(type="log"), title="parameters (billions, log)"), y=alt.Y("average:Q", title="average"),
            color=alt.Color("type:N", title=None))
        # Each bucket's best average is drawn at the bucket's geometric middle (the open top bucket: 1.5 x its floor).
        centres = tables["size_buckets"].drop_nulls("best_average").with_columns(
            (pl.col("min_params_b").clip(0.1) * pl.col("max_params_b").fill_null(pl.col("min_params_b") * 2.25)).sqrt().alias("params_b"))
        best = alt.Chart(centres).mark_line(color="#111827", point=True)
        drawn.append(("Model size against score (line: best average per size bucket)", points + best.encode(x="params_b:Q", y="best_average:Q")))
    if not tables["improvement"].is_empty():
        drawn.append((f"Improvement per base model: best non-merge derivative over the base, % (the {TOP} bases with most derivatives)",
                      alt.Chart(tables["improvement"].head(TOP)).mark_bar().encode(
                          x=alt.X("improvement_pct:Q", title="improvement (%)"), y=alt.Y("base_model:N", sort=None, title=None, axis=NAMES),
                          color=alt.condition(alt.datum.improvement_pct >= 0, alt.value("#16a34a"), alt.value("#dc2626")))))
    if not tables["improvement_timeline"].is_empty():
        leading = tables["improvement"].head(5)["base_model"].to_list()
        timeline = tables["improvement_timeline"].filter(pl.col("base_model").is_in(leading))
        if not timeline.is_empty():
            base = alt.Chart(timeline).mark_line(point=True, interpolate="step-after").encode(
                x=alt.X("days_since_base:Q", title="days since the base's submission"), color=alt.Color("base_model:N", title=None))
            drawn.append(("Improvement over time of the five bases with most derivatives: raw % (left), % / ln(1 + derivatives) (right)",
                          alt.hconcat(base.encode(y=alt.Y("improvement_pct:Q", title="improvement (%)")).properties(width=WIDTH // 2 - 20),
                                      base.encode(y=alt.Y("improvement_pct_per_log_derivatives:Q", title="% / ln(1 + derivatives)")).properties(width=WIDTH // 2 - 20))))
    return drawn


def _sized(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart if isinstance(chart, alt.HConcatChart) else chart.properties(width=WIDTH, height=HEIGHT)


def leaderboard_section(con: duckdb.DuckDBPyConnection, month: dt.date) -> str:
    """The section's HTML (``id="leaderboard"``); a note when the month has no leaderboard snapshot."""
    summary = concentration(con, month)
    if summary is None:
        return (
            '<section id="leaderboard"><h2>Leaderboard analytics</h2>\n'
            '<p class="note">No Open LLM Leaderboard snapshot for this month (<code>osir analytics --leaderboard PATH</code> imports one).</p></section>'
        )
    tables = frames(con, month)
    figures = pl.DataFrame({
        "models": [f"{summary['models']:,}"], "authors": [f"{summary['authors']:,}"],
        "top-10 share": [f"{100 * summary['top10_share']:.2f}%"], "top-200 share": [f"{100 * summary['top200_share']:.2f}%"], "gini": [f"{summary['gini']:.4f}"],
    })
    organisations = (
        html_table(tables["organisations"].select(
            "org", pl.col("models").cast(pl.String), pl.col("best_average").round(2).cast(pl.String).alias("best average"),
            pl.col("community_derivatives").cast(pl.String).alias("community derivatives"),
            pl.col("community_improvement").round(2).cast(pl.String).fill_null("–").alias("best community improvement (points)"),
        ))
        if not tables["organisations"].is_empty()
        else '<p class="note">No registered organisation has a model on this leaderboard (or the month is not ranked).</p>'
    )
    pictures = "\n".join(
        f'<div><p class="caption">{html.escape(caption)}</p>{inline_svg(_sized(chart), "leaderboard-chart", caption)}</div>' for caption, chart in charts(tables)
    )
    return f"""<section id="leaderboard"><h2>Leaderboard analytics</h2>
<p class="note">How the community builds on open models (Open LLM Leaderboard snapshot of {month:%Y-%m}; flagged rows dropped, one row per model,
its best average). Definitions: README, <em>Leaderboard analytics</em>; figures: <code>osir analytics --month {month:%Y-%m}</code>.</p>
{html_table(figures, text_columns=())}
<div class="grid">
{pictures}
</div>
<h3 id="leaderboard-organisations">Registered organisations on the leaderboard</h3>
<p class="note">Their models, the best average, the community's derivatives of them and the most a community (non-merge) derivative improved one of them.
Optional indicators of the model dimension, not scored by the published profile.</p>
{organisations}
</section>"""

"""Write a month's tables in the published OSIR-LMTS CSV layout (column names, order, number format).

Numbers are written as pandas writes them (Python's shortest round-trip repr), so a published file and
ours can be compared as text; an all-integer column is written as integers; delta rank is written only
when there is a previous month to compare with, as floats with empty cells when some org is new.
"""

import csv
import datetime as dt
import io
from pathlib import Path

import duckdb
import polars as pl

SUMMARY_DIMENSIONS = ("data", "model")
# The assets whose tables the files are written from; `osir reproduce` materialises these and their upstream.
WRITTEN_FROM = ("normalised_indicators", "org_universe", "dimension_rankings", "influence_scores")
RANK_DIMENSIONS = ("data", "model", "infra", "eval")


def _indicator_frame(con: duckdb.DuckDBPyConnection, month: dt.date, dimension: str, view: str, value: str) -> pl.DataFrame:
    long = con.execute(
        f"""
        SELECT n.org, u.org_position, n.indicator, n.position, n.{value} AS value
        FROM normalised_indicators AS n JOIN org_universe AS u ON u.month = n.month AND u.org = n.org
        WHERE n.month = $month AND n.dimension = $dimension AND n.view = $view
        """,
        {"month": month, "dimension": dimension, "view": view},
    ).pl()
    if long.is_empty():
        return pl.DataFrame()
    columns = long.select("indicator", "position").unique().sort("position").get_column("indicator").to_list()
    wide = long.pivot(on="indicator", index=["org", "org_position"], values="value").sort("org_position")
    return wide.select("org", "org_position", *columns)


def summary_table(con, month: dt.date, dimension: str, view: str = "monthly") -> pl.DataFrame:
    """The raw indicator values, one row per ranked organisation (``<dimension>-summary.csv``)."""
    return _indicator_frame(con, month, dimension, view, "value").drop("org_position", strict=False)


def rank_table(con, month: dt.date, dimension: str, view: str = "monthly") -> pl.DataFrame:
    """Normalised indicators, score, rank and delta rank (``<dimension>-rank.csv``)."""
    normalised = _indicator_frame(con, month, dimension, view, "normalised")
    if normalised.is_empty():
        return normalised
    ranks = con.execute(
        "SELECT org, score, rank, delta_rank, previous_month FROM dimension_rankings WHERE month = $month AND dimension = $dimension AND view = $view",
        {"month": month, "dimension": dimension, "view": view},
    ).pl()
    table = normalised.join(ranks, on="org", how="left").sort("org_position")
    return _with_delta(table).drop("org_position")


def overall_table(con, month: dt.date, view: str = "monthly") -> pl.DataFrame:
    """Per-dimension components 1/log2(rank + 1), score, rank and delta rank (``overall-rank.csv``)."""
    table = con.execute(
        """SELECT org, org_position, data, model, infra, eval, score, rank, delta_rank, previous_month
           FROM influence_scores WHERE month = $month AND view = $view ORDER BY org_position""",
        {"month": month, "view": view},
    ).pl()
    return _with_delta(table).drop("org_position") if not table.is_empty() else table


def _with_delta(table: pl.DataFrame) -> pl.DataFrame:
    compared = table.get_column("previous_month").is_not_null().any()
    table = table.drop("previous_month")
    if not compared:
        return table.drop("delta_rank")
    delta = pl.col("delta_rank")
    # Published files hold floats when an organisation is new (NaN), integers otherwise.
    delta = delta.cast(pl.Float64) if table.get_column("delta_rank").null_count() else delta
    return table.with_columns(delta.alias("delta rank")).drop("delta_rank")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def to_csv_text(table: pl.DataFrame, integer_columns: bool = False) -> str:
    if integer_columns:
        # Summary values are counts and downloads: integral columns are written as integers.
        table = table.with_columns(
            pl.col(c).cast(pl.Int64) for c, t in table.schema.items() if t == pl.Float64 and (table[c].drop_nulls() % 1 == 0).all()
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([_cell(v) for v in row] for row in table.iter_rows())
    return buffer.getvalue()


def month_files(con, month: dt.date) -> dict[str, str]:
    """File name -> CSV text for every table of the month that has rows."""
    files = {}
    for dimension in SUMMARY_DIMENSIONS:
        for view, suffix in (("monthly", ""), ("accumulated", "-accumulated")):
            table = summary_table(con, month, dimension, view)
            if not table.is_empty():
                files[f"{dimension}{suffix}-summary.csv"] = to_csv_text(table, integer_columns=True)
    for dimension in RANK_DIMENSIONS:
        table = rank_table(con, month, dimension)
        if not table.is_empty():
            files[f"{dimension}-rank.csv"] = to_csv_text(table)
    for dimension in SUMMARY_DIMENSIONS:
        table = rank_table(con, month, dimension, "accumulated")
        if not table.is_empty():
            files[f"{dimension}-accumulated-rank.csv"] = to_csv_text(table)
    for view, name in (("monthly", "overall-rank.csv"), ("accumulated", "overall-accumulated-rank.csv")):
        table = overall_table(con, month, view)
        if not table.is_empty():
            files[name] = to_csv_text(table)
    return files


def write_month(con, month: dt.date, folder: Path) -> list[Path]:
    """Write the month's files into ``folder`` through temporary names, so a folder is never half-written."""
    files = month_files(con, month)
    if not files:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        temporary = folder / f".{name}.tmp"
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(folder / name)
        written.append(folder / name)
    return written

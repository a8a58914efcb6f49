"""What a month in the database is, for the headings and messages people read: sample or real, ranked or why not.

Read from the tables the graph writes per month: ``month_snapshot`` (the day of the snapshot and the archive it
came from, with ``sample`` true for the generated SAMPLE archive), ``month_blocks`` (audits), the curated
infrastructure table in force, and the rankings.
"""

import datetime as dt

import duckdb

from osir_assets.lib.duckdb_store import table_columns, table_exists

SAMPLE_PREFIX = "SAMPLE (synthetic data, not a real ranking): "


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return column in (table_columns(con, table) or [])


def from_sample(con: duckdb.DuckDBPyConnection, months: list[dt.date]) -> bool:
    """Whether any of these months came from the generated SAMPLE archive."""
    if not _has_column(con, "month_snapshot", "sample"):  # a database written before months recorded their archive
        return False
    found = con.execute("SELECT bool_or(sample) FROM month_snapshot WHERE month IN (SELECT unnest($months))", {"months": months}).fetchone()[0]
    return bool(found)


def heading(text: str, sample: bool) -> str:
    """A table's heading; output computed from the sample (``from_sample``) says so first."""
    return SAMPLE_PREFIX + text if sample else text


def month_block(con: duckdb.DuckDBPyConnection, month: dt.date) -> str | None:
    """Why the month was not (re)published, naming the asset and check at the root of it, or None."""
    if not table_exists(con, "month_blocks"):
        return None
    found = con.execute(
        """SELECT asset, reason FROM month_blocks WHERE month = $m
           ORDER BY reason LIKE 'blocked by%', asset LIMIT 1""",
        {"m": month},
    ).fetchone()
    if not found:
        return None
    asset, reason = found
    return reason if reason.startswith("blocked by") else f"{asset}: {reason}"


def _count(con: duckdb.DuckDBPyConnection, table: str, where: str, params: dict) -> int:
    return con.execute(f'SELECT count(*) FROM "{table}" WHERE {where}', params).fetchone()[0] if table_exists(con, table) else 0


def unranked_reason(con: duckdb.DuckDBPyConnection, month: dt.date, view: str = "monthly", dimension: str = "overall") -> str:
    """Why ``month`` has no ``view`` ranking of ``dimension``, for a month that has none: 'materialised, but ...'."""
    if not _count(con, "month_snapshot", "month = $m", {"m": month}):
        return "not materialised (`osir run`, `osir reproduce` or `osir backfill` first)"
    blocked = month_block(con, month)
    if blocked:
        return f"materialised, but blocked by a failed audit ({blocked})"
    if not _count(con, "curated_infra_indicators", "month = $m", {"m": month}):
        later = con.execute("SELECT min(month) FROM curated_infra_indicators WHERE month > $m", {"m": month}).fetchone()[0] if table_exists(con, "curated_infra_indicators") else None
        first = f"the first one is for {later:%Y-%m}" if later else "none is dated in or before it"
        return f"materialised, but no curated infrastructure table is in force for it ({first}; that table fixes which organisations a month ranks)"
    if not _count(con, "dimension_rankings", "month = $m AND view = $v", {"m": month, "v": view}):
        return "materialised, but not scored yet (a live month is scored once every platform is collected: `osir collect`)"
    return f"materialised and scored, but no organisation is ranked in {'all four dimensions' if dimension == 'overall' else 'this dimension'}"


def no_ranking(con: duckdb.DuckDBPyConnection, month: dt.date, view: str = "monthly", dimension: str = "overall") -> str:
    """The message for a month asked for that has no such ranking, with the reason."""
    return f"no {view} {dimension} ranking for {month:%Y-%m}: {unranked_reason(con, month, view, dimension)}"

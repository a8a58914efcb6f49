"""The DuckDB file every asset reads and writes, and the one way a month is written to it.

A month is always replaced inside one transaction: delete the month's rows, insert the new ones, commit.
A failure anywhere in between rolls back, so readers see either the old month or the new one, and no
other month is touched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

DEFAULT_DB = "data/osir.duckdb"


def table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """A table, temporary table or view of that name. (A catalog lookup: information_schema costs about
    3 ms a query, and a run asks this hundreds of times.)"""
    return table_columns(con, table) is not None


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str] | None:
    """The columns of a table, temporary table or view, or None when there is none of that name."""
    try:
        return con.table(table).columns
    except duckdb.CatalogException:
        return None


def bind(sql: str, params: dict) -> dict:
    """Only the parameters the statement names: DuckDB rejects unused named parameters."""
    wanted = set(re.findall(r"\$([A-Za-z_]\w*)", sql))
    return {k: v for k, v in params.items() if k in wanted}


def _add_missing_columns(con: duckdb.DuckDBPyConnection, table: str, select: str, params: dict) -> None:
    """A SQL file that gained a column adds it to its table (older months get NULL) instead of failing."""
    existing = set(table_columns(con, table) or [])
    for name, dtype, *_ in con.execute(f"DESCRIBE {select}", params).fetchall():
        if name not in existing:
            con.execute(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {dtype}')


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: on any error the database is left as it was before the block."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def replace_month(
    con: duckdb.DuckDBPyConnection,
    table: str,
    month: dt.date,
    select_sql: str,
    params: dict | None = None,
    scope_sql: str = "",
    atomic: bool = True,
) -> int:
    """Replace ``table``'s rows for ``month`` with the rows of ``select_sql``, atomically.

    ``scope_sql`` (``AND ...``) narrows what is replaced inside the month, for tables several assets
    share, such as indicator_values; every new row must then fall inside it, or the write is refused.
    ``atomic=False`` when the caller holds a transaction spanning several months. Returns the number of
    rows written. (Write, audit, publish goes through ``stage_month`` and ``publish_month``.)
    """
    if atomic:
        with transaction(con):
            return replace_month(con, table, month, select_sql, params, scope_sql, atomic=False)
    params = {**(params or {}), "month": month}
    select = f"SELECT CAST($month AS DATE) AS month, * FROM ({select_sql})"
    select_params = bind(select_sql + " $month", params)
    written = _publish(con, table, month, select, select_params, scope_sql, params)
    if scope_sql:
        # The scope was emptied before the insert, so it now holds exactly the new rows that fall in it.
        in_scope = con.execute(f'SELECT count(*) FROM "{table}" WHERE month = $month {scope_sql}', bind(f"$month {scope_sql}", params)).fetchone()[0]
        if in_scope != written:
            raise ValueError(f"{table}: {written - in_scope} new rows fall outside what this step may write ({scope_sql.removeprefix('AND ')})")
    return written


def _publish(con, table: str, month: dt.date, select: str, select_params: dict, scope_sql: str, params: dict) -> int:
    if not table_exists(con, table):
        con.execute(f'CREATE TABLE "{table}" AS {select}', select_params)
        return con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    else:
        _add_missing_columns(con, table, select, select_params)
        con.execute(f'DELETE FROM "{table}" WHERE month = $month {scope_sql}', bind(f"$month {scope_sql}", params))
        return con.execute(f'INSERT INTO "{table}" BY NAME {select}', select_params).fetchone()[0]


def stage_month(con: duckdb.DuckDBPyConnection, staged: str, month: dt.date, select_sql: str, params: dict | None = None) -> None:
    """Append a month's new rows to a temporary staging table (write, before audit and publish)."""
    params = {**(params or {}), "month": month}
    select = f"SELECT CAST($month AS DATE) AS month, * FROM ({select_sql})"
    if table_exists(con, staged):
        con.execute(f'INSERT INTO "{staged}" BY NAME {select}', bind(select_sql + " $month", params))
    else:
        con.execute(f'CREATE TEMP TABLE "{staged}" AS {select}', bind(select_sql + " $month", params))


@contextmanager
def _incoming_frame(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> Iterator[str]:
    """A SELECT over ``frame``, valid inside the block."""
    con.register("_incoming_frame", frame.to_arrow())
    try:
        yield "SELECT * FROM _incoming_frame"
    finally:
        con.unregister("_incoming_frame")


def stage_month_from_frame(con: duckdb.DuckDBPyConnection, staged: str, month: dt.date, frame: pl.DataFrame) -> None:
    with _incoming_frame(con, frame) as select:
        stage_month(con, staged, month, select)


def stage_month_numbered(con: duckdb.DuckDBPyConnection, staged: str, month: dt.date, select_sql: str, params: dict, number: str) -> None:
    """``stage_month`` for a select that keeps its source's order but cannot number its rows (DuckDB's
    JSON reader): the select gives ``number`` as NULL, and the new rows are numbered 1, 2, ... in the order
    they were selected. (One append gives a table's new rows consecutive rowids, in insertion order; inside
    a transaction they start from DuckDB's transaction-local base, hence the offset from the smallest.)"""
    (keep_order,) = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
    con.execute("SET preserve_insertion_order = true")
    try:
        stage_month(con, staged, month, select_sql, params)
    finally:
        con.execute(f"SET preserve_insertion_order = {str(keep_order).lower()}")
    con.execute(f'UPDATE "{staged}" SET "{number}" = rowid - (SELECT min(rowid) FROM "{staged}" WHERE "{number}" IS NULL) + 1 WHERE "{number}" IS NULL')


def staged_rows(con: duckdb.DuckDBPyConnection, staged: str) -> int:
    """How many rows a staging table holds (written by ``stage_month``, not yet audited and published)."""
    return con.execute(f'SELECT count(*) FROM "{staged}"').fetchone()[0]


def publish_month(con: duckdb.DuckDBPyConnection, table: str, staged: str, month: dt.date, params: dict | None = None, scope_sql: str = "") -> int:
    """Replace ``table``'s month (within ``scope_sql``) with the month's staged rows (publish, after the audit)."""
    params = {**(params or {}), "month": month}
    return replace_month(con, table, month, f'SELECT * EXCLUDE (month) FROM "{staged}" WHERE month = $month', params, scope_sql, atomic=False)


def create_view(con: duckdb.DuckDBPyConnection, name: str, select_sql: str) -> None:
    """(Re)define a view; a table left by an older version of the SQL file is dropped first."""
    kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'", [name]).fetchone()
    with transaction(con):
        if kind and kind[0] == "BASE TABLE":
            con.execute(f'DROP TABLE "{name}"')
        con.execute(f'CREATE OR REPLACE VIEW "{name}" AS {select_sql}')


def replace_month_from_frame(con: duckdb.DuckDBPyConnection, table: str, month: dt.date, frame: pl.DataFrame, atomic: bool = True) -> int:
    with _incoming_frame(con, frame) as select:
        return replace_month(con, table, month, select, atomic=atomic)

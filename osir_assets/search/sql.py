"""A parsed query compiled to one DuckDB statement over a month of one catalogue table.

Every value of the query (free text, regular expression, filter value, the month) is a bound parameter; only
column names the table itself declares are written into the SQL text. Each term becomes one boolean column
(``_term0`` ...), so the rows found are those with any term true, and the terminal knows which terms to highlight.
The count of all rows found comes from the same scan as the first ``limit`` rows.
"""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from osir_assets.errors import OsirInputError
from osir_assets.search.catalogue import CATALOGUE, SearchTable
from osir_assets.search.query import Term, parse

if TYPE_CHECKING:
    import polars as pl


@dataclass(frozen=True)
class SearchResult:
    table: SearchTable
    month: dt.date
    terms: list[Term]  # as matched: an invalid regular expression is plain text here
    count: int
    rows: "pl.DataFrame"  # name, the table's columns, and _term0 ... (did term i match this row)
    notices: list[str]


def quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def table_columns(con: duckdb.DuckDBPyConnection, table: SearchTable) -> list[str]:
    columns = [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $t ORDER BY ordinal_position",
        {"t": table.table},
    ).fetchall()]
    if not columns:
        raise OsirInputError(f"the database has no {table.table} table to search as {table.key}; {table.made_by} makes it")
    return columns


def _checked_regex(con: duckdb.DuckDBPyConnection, term: Term, notices: list[str]) -> Term:
    if not term.regex:
        return term
    try:
        con.execute("SELECT regexp_matches('', $pattern)", {"pattern": term.text})
        return term
    except duckdb.Error as exc:
        reason = str(exc).split(":", 1)[-1].strip()
        notices.append(f"'{term.text}' is not a valid regular expression ({reason}); matched as plain text")
        return term.as_plain_text()


def _term_sql(term: Term, index: int, fields: dict[str, str], params: dict) -> str:
    conditions = []
    if term.text:
        params[f"t{index}"] = term.text
        conditions.append(f"regexp_matches(name, $t{index}, 'i')" if term.regex else f"contains(lower(name), lower($t{index}))")
    for position, condition in enumerate(term.filters):
        params[f"f{index}_{position}"] = condition.value
        conditions.append(f"contains(lower(CAST({quoted(fields[condition.field])} AS VARCHAR)), lower($f{index}_{position}))")
    return " AND ".join(conditions)


def search(con: duckdb.DuckDBPyConnection, query: str, table_key: str, month: dt.date | None = None, limit: int = 20) -> SearchResult:
    """The first ``limit`` (>= 1) rows of ``table_key`` for ``month`` (default: its latest) matching ``query``; bad input is an OsirInputError."""
    terms = parse(query)
    table = CATALOGUE[table_key]
    columns = [c for c in table_columns(con, table) if c.lower() != "name"]
    fields = {"name": "name", **{c.lower(): c for c in columns}}
    unknown = next((f.field for t in terms for f in t.filters if f.field not in fields), None)
    if unknown:
        raise OsirInputError(f"unknown field @{unknown} in {table.key}; the fields are: {', '.join(sorted(fields))}")
    first, last, present = con.execute(
        f"SELECT min(month), max(month), count(*) FILTER (WHERE month = $month) > 0 FROM {quoted(table.table)}", {"month": month}
    ).fetchone()
    if last is None:
        raise OsirInputError(f"the {table.table} table is empty; {table.made_by} fills it")
    if month is not None and not present:
        raise OsirInputError(f"{table.key} has no rows for {month:%Y-%m} (its months: {first:%Y-%m}..{last:%Y-%m})")
    month = month or last
    notices: list[str] = []
    terms = [_checked_regex(con, t, notices) for t in terms]
    params: dict = {"month": month, "limit": limit}
    matches = ", ".join(f"{_term_sql(t, i, fields, params)} AS _term{i}" for i, t in enumerate(terms))
    any_match = " OR ".join(f"_term{i}" for i in range(len(terms)))
    statement = f"""
        WITH searched AS (SELECT {table.name_sql} AS name, {", ".join(map(quoted, columns))} FROM {quoted(table.table)} WHERE month = $month),
        matched AS (SELECT *, {matches} FROM searched)
        SELECT *, count(*) OVER () AS _found FROM matched WHERE {any_match} ORDER BY {table.order_sql} LIMIT $limit
    """
    rows = con.execute(statement, params).pl()
    return SearchResult(table, month, terms, rows["_found"][0] if rows.height else 0, rows.drop("_found"), notices)

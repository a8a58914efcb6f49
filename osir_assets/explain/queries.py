"""The explain and diff queries: one set-based query per level, read from the tables the graph wrote.

The SQL is in ``explain/sql/``; each file says what its figures mean.
"""

import datetime as dt
import difflib
from dataclasses import dataclass

import duckdb
import polars as pl

from osir_assets.errors import OsirInputError
from osir_assets.lib.month_status import from_sample, no_ranking
from osir_assets.lib.package_files import package_path

SQL = {path.stem: path.read_text(encoding="utf-8") for path in package_path("explain", "sql").glob("*.sql")}


@dataclass(frozen=True)
class Explanation:
    org: str
    month: dt.date
    view: str
    sample: bool  # computed from the generated SAMPLE archive
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
    sample: bool
    overall: pl.DataFrame
    dimensions: pl.DataFrame
    indicators: pl.DataFrame


def _query(con: duckdb.DuckDBPyConnection, name: str, **params) -> pl.DataFrame:
    return con.execute(SQL[name], params).pl()


def resolve_org(con: duckdb.DuckDBPyConnection, org: str, months: list[dt.date], view: str) -> str:
    """The organisation as ranked (names match case-insensitively), or an error naming the close ones."""
    known = [r[0] for r in con.execute(
        "SELECT DISTINCT org FROM influence_scores WHERE month IN (SELECT unnest($months)) AND view = $view ORDER BY org", {"months": months, "view": view}
    ).fetchall()]
    if not known:
        raise OsirInputError("; ".join(no_ranking(con, month, view) for month in months))
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
        sample=from_sample(con, [month]),
        overall=_query(con, "overall", **params),
        dimensions=_query(con, "dimensions", dimension=dimension, **params),
        indicators=_query(con, "indicators", dimension=dimension, **params),
        repositories=_query(con, "repositories", dimension=dimension, top=top, **params),
        unscored=_query(con, "unscored", dimension=dimension, **params),
    )


def diff(con: duckdb.DuckDBPyConnection, org: str, from_month: dt.date, to_month: dt.date, view: str = "monthly", top: int = 3) -> Diff:
    org = resolve_org(con, org, [from_month, to_month], view)
    params = {"org": org, "from_month": from_month, "to_month": to_month, "view": view}
    return Diff(
        org=org,
        from_month=from_month,
        to_month=to_month,
        view=view,
        sample=from_sample(con, [from_month, to_month]),
        overall=_query(con, "diff_overall", **params),
        dimensions=_query(con, "diff_dimensions", **params),
        indicators=_query(con, "diff_indicators", top=top, **params),
    )


def top_organisations(con: duckdb.DuckDBPyConnection, month: dt.date, view: str = "monthly", limit: int = 10) -> pl.DataFrame:
    return _query(con, "top_organisations", month=month, view=view, limit=limit)

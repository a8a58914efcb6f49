"""``osir explain`` and ``osir diff`` (registered in osir_assets/cli.py, imported only when they run)."""

import argparse
import datetime as dt
import os
from pathlib import Path

import duckdb

from osir_assets.errors import OsirInputError
from osir_assets.explain.queries import diff, explain
from osir_assets.explain.rendering import render_diff, render_explanation
from osir_assets.lib.duckdb_store import DEFAULT_DB
from osir_assets.lib.duckdb_resource import DuckDBStore


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

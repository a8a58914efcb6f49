"""A month's leaderboard figures, read back from the analytics tables (for `osir analytics` and the report)."""

import datetime as dt

import duckdb
import polars as pl

from osir_assets.lib.duckdb_store import table_exists

QUERIES = {
    "models_by_type": "SELECT type, count(*) AS models FROM leaderboard_models WHERE month = $m GROUP BY type ORDER BY models DESC, type",
    "architecture_share": "SELECT architecture, models, share FROM leaderboard_architectures WHERE month = $m ORDER BY architecture = 'other', share DESC, architecture",
    "derivatives": "SELECT base_model, derivatives FROM leaderboard_derivatives WHERE month = $m ORDER BY position",
    "improvement": """SELECT base_model, derivatives, base_average, best_derivative, best_average, improvement, improvement_pct
                      FROM leaderboard_improvement WHERE month = $m ORDER BY position""",
    "models_per_author": "SELECT author, models FROM leaderboard_models_per_author WHERE month = $m ORDER BY position",
    "size_buckets": "SELECT bucket, min_params_b, max_params_b, models, best_average, best_model FROM leaderboard_size_buckets WHERE month = $m ORDER BY position",
    "authors_weekly": "SELECT week, models, active_authors, new_authors, total_authors FROM leaderboard_authors_weekly WHERE month = $m ORDER BY week",
    "types_weekly": "SELECT week, type, models FROM leaderboard_types_weekly WHERE month = $m ORDER BY week, type",
    "architectures_weekly": "SELECT week, architecture, models FROM leaderboard_architectures_weekly WHERE month = $m ORDER BY week, architecture",
    "improvement_timeline": """SELECT base_model, derivative, days_since_base, improvement_pct, improvement_pct_per_log_derivatives
                               FROM leaderboard_improvement_timeline WHERE month = $m ORDER BY base_model, days_since_base, derivative""",
    "organisations": """SELECT org, models, best_average, community_derivatives, community_improvement
                        FROM leaderboard_organisations WHERE month = $m ORDER BY models DESC, org""",
    "size_against_score": "SELECT model, params_b, average, type FROM leaderboard_models WHERE month = $m AND params_b > 0 AND average IS NOT NULL",
}


def latest_month(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    return con.execute("SELECT max(month) FROM leaderboard_concentration").fetchone()[0] if table_exists(con, "leaderboard_concentration") else None


def concentration(con: duckdb.DuckDBPyConnection, month: dt.date) -> dict | None:
    if not table_exists(con, "leaderboard_concentration"):
        return None
    row = con.execute("SELECT models, authors, top10_share, top200_share, gini FROM leaderboard_concentration WHERE month = $m", {"m": month}).pl()
    return row.to_dicts()[0] if row.height else None


def frames(con: duckdb.DuckDBPyConnection, month: dt.date) -> dict[str, pl.DataFrame]:
    """Every figure table of the month (an analytics table that was never written reads as empty)."""
    found = {}
    for name, sql in QUERIES.items():
        try:
            found[name] = con.execute(sql, {"m": month}).pl()
        except duckdb.CatalogException:
            found[name] = pl.DataFrame()
    return found


def month_figures(con: duckdb.DuckDBPyConnection, month: dt.date) -> dict | None:
    """The month's figures as plain values (the JSON of `osir analytics --format json`); None without a leaderboard."""
    summary = concentration(con, month)
    if summary is None:
        return None
    tables = frames(con, month)
    as_rows = lambda name: [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()} for row in tables[name].to_dicts()]
    return {
        "month": f"{month:%Y-%m}",
        **summary,
        "models_by_type": dict(tables["models_by_type"].iter_rows()),
        "architecture_share": {a: s for a, _, s in tables["architecture_share"].iter_rows()},
        "derivatives": as_rows("derivatives"),
        "improvement": as_rows("improvement"),
        "size_buckets": as_rows("size_buckets"),
        "authors_weekly": as_rows("authors_weekly"),
        "types_weekly": as_rows("types_weekly"),
        "architectures_weekly": as_rows("architectures_weekly"),
        "improvement_timeline": as_rows("improvement_timeline"),
        "organisations": as_rows("organisations"),
    }

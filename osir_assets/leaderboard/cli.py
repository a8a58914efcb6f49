"""``osir analytics``: import a leaderboard snapshot as a month's (through the graph), then print its figures.

    osir analytics [--leaderboard PATH [--invert-flags] | --collect] [--month YYYY-MM] [--format table|json]
"""

import datetime as dt
import json
import os
import sys
from pathlib import Path

import duckdb

from osir_assets.errors import OsirInputError
from osir_assets.lib.duckdb_store import DEFAULT_DB, table_exists

# The ranking link needs the month's registry and ranked organisations; an import into a month without them skips it.
RANKING_LINK = ("leaderboard_organisations", "leaderboard_indicators_sql")


def add_analytics_command(add, month_type) -> None:
    command = add("analytics", "Leaderboard analytics: import an Open LLM Leaderboard snapshot as a month's (optional), then print the month's figures.", materialises=True)
    source = command.add_mutually_exclusive_group()
    source.add_argument("--leaderboard", help="snapshot file (Parquet or CSV: official columns, the v2 formatted export, or the v1 table)")
    source.add_argument("--collect", action="store_true", help="collect the live contents dataset (HF_ENDPOINT) as the current month's snapshot")
    command.add_argument("--invert-flags", action="store_true", help="read merged/flagged/moe inverted (the leaderboard v1 exports store them the wrong way round)")
    command.add_argument("--month", type=month_type, help="YYYY-MM: the month the file is the snapshot of (default: the current month), or the month to show (default: the latest)")
    command.add_argument("--format", choices=("table", "json"), default="table")
    command.set_defaults(handler=cmd_analytics)


def _import(month: dt.date, db: str, ephemeral: bool = False, **source) -> None:
    """Materialise the leaderboard assets of ``month`` with the given snapshot source (a file, or live), recorded
    in the database's Dagster instance unless ``ephemeral``."""
    from dagster import AssetSelection

    from osir_assets.definitions import all_assets, build_resources
    from osir_assets.leaderboard.resources import leaderboard_from_environment
    from osir_assets.partitions import FIRST_ARCHIVED_MONTH
    from osir_assets.runner import materialize_months

    today = dt.datetime.now(dt.timezone.utc).date()
    if not dt.date.fromisoformat(FIRST_ARCHIVED_MONTH) <= month <= today.replace(day=1):
        raise OsirInputError(f"--month {month:%Y-%m} is not a month OSIR keeps ({FIRST_ARCHIVED_MONTH[:7]}..{today:%Y-%m})")
    resources = build_resources(db)
    resources["leaderboard"] = leaderboard_from_environment("", str(Path(db).parent / "raw"), **source)
    link = {k for a in all_assets if a.is_executable and a.node_def.name in RANKING_LINK for k in a.keys}
    with_link = _ranked(db, month)
    keys = [k for a in all_assets for k in a.keys if a.group_names_by_key.get(k) == "leaderboard" and (with_link or k not in link)]
    materialize_months([month], resources, selection=AssetSelection.assets(*keys), ephemeral=ephemeral)
    with duckdb.connect(db, read_only=True) as con:
        warnings = con.execute(
            "SELECT message FROM audit_results WHERE month = $m AND asset LIKE '%leaderboard%' AND NOT passed ORDER BY asset, rule", {"m": month}
        ).fetchall()
    for (message,) in warnings:
        print(f"osir: warning: {message}", file=sys.stderr)


def _ranked(db: str, month: dt.date) -> bool:
    if not Path(db).exists():
        return False
    with duckdb.connect(db, read_only=True) as con:
        return table_exists(con, "org_universe") and con.execute("SELECT count(*) FROM org_universe WHERE month = $m", {"m": month}).fetchone()[0] > 0


def cmd_analytics(args) -> int:
    from osir_assets.leaderboard.figures import latest_month, month_figures
    from osir_assets.leaderboard.source import check_leaderboard_file

    db = args.db or os.environ.get("OSIR_DB", DEFAULT_DB)
    month = args.month
    this_month = dt.datetime.now(dt.timezone.utc).date().replace(day=1)
    if args.leaderboard:
        path = Path(args.leaderboard)
        check_leaderboard_file(path)  # before Dagster starts: a wrong file is one line, not a failed run
        month = month or this_month
        _import(month, db, args.ephemeral, file=str(path.resolve()), file_month=month.isoformat(), invert_flags=args.invert_flags, mode="archive")
        print(f"osir: imported {path} as the {month:%Y-%m} leaderboard snapshot", file=sys.stderr)
    elif args.collect:
        if month and month != this_month:
            raise OsirInputError(f"--collect fills the current month ({this_month:%Y-%m}) only; import a saved snapshot with --leaderboard PATH --month {month:%Y-%m}")
        month = this_month
        _import(month, db, args.ephemeral, mode="live", invert_flags=args.invert_flags)
        print(f"osir: collected the live leaderboard as the {month:%Y-%m} snapshot", file=sys.stderr)
    if not Path(db).exists():
        raise OsirInputError("database not found; import a snapshot with `osir analytics --leaderboard PATH` first", db)
    with duckdb.connect(db, read_only=True) as con:
        month = month or latest_month(con)
        figures = month_figures(con, month) if month else None
    if figures is None:
        raise OsirInputError(f"no leaderboard for {month:%Y-%m}" if month else "no leaderboard in the database; import one with `osir analytics --leaderboard PATH`", db)
    print(json.dumps(figures, indent=1, ensure_ascii=False) if args.format == "json" else render_table(figures))
    return 0


def _share(value) -> str:
    return "–" if value is None else f"{value:.4f} ({100 * value:.2f}%)"


def _number(value, decimals: int = 2) -> str:
    return "–" if value is None else f"{value:,.{decimals}f}"


def render_table(figures: dict, top: int = 10) -> str:
    lines = [
        f"Open LLM Leaderboard, {figures['month']}",
        f"  models        {figures['models']:,}",
        f"  authors       {figures['authors']:,}",
        f"  top-10 share  {_share(figures['top10_share'])}",
        f"  top-200 share {_share(figures['top200_share'])}",
        f"  gini          {figures['gini']:.4f}",
        "",
        "Models by type: " + ", ".join(f"{t} {n:,}" for t, n in figures["models_by_type"].items()),
        "Architectures:  " + ", ".join(f"{a} {100 * s:.1f}%" for a, s in figures["architecture_share"].items()),
        "",
        f"Base models with the most derivatives (top {top}):",
        *[f"  {d['derivatives']:>6,}  {d['base_model']}" for d in figures["derivatives"][:top]],
        "",
        f"Improvement per base model (the {top} with the most derivatives; best non-merge derivative minus the base's average):",
        f"  {'derivatives':>11}  {'base avg':>8}  {'best avg':>8}  {'points':>7}  {'percent':>8}  base model -> best derivative",
        *[
            f"  {i['derivatives']:>11,}  {_number(i['base_average']):>8}  {_number(i['best_average']):>8}  {_number(i['improvement']):>7}  "
            f"{_number(i['improvement_pct']):>7}%  {i['base_model']} -> {i['best_derivative']}"
            for i in figures["improvement"][:top]
        ],
    ]
    if figures["organisations"]:
        lines += ["", "Registered organisations on the leaderboard:"]
        lines += [
            f"  {o['org']}: {o['models']:,} models, best average {_number(o['best_average'])}, {o['community_derivatives']:,} community derivatives, "
            f"best community improvement {_number(o['community_improvement'])} points"
            for o in figures["organisations"]
        ]
    return "\n".join(lines)

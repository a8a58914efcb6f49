"""The ``osir`` command: run months through the graph, reproduce published tables, print rankings."""

import argparse
import atexit
import datetime as dt
import gc
import logging
import os
import sys
import time
from pathlib import Path

import duckdb

from osir_assets.collect import PLATFORM_CHOICES, cmd_collect
from osir_assets.errors import OsirInputError
from osir_assets.lib.month_status import from_sample, heading, month_block, no_ranking, unranked_reason
from osir_assets.quality.report import describe, month_findings
from osir_assets.lib.duckdb_store import DEFAULT_DB, table_exists
from osir_assets.lib.formatting import count, decimals, formatted, signed_count, text_table

DIMENSIONS = ("overall", "data", "model", "infra", "eval")

# With Dagster loaded, the interpreter's last garbage collection at exit walks millions of objects: about
# a second after the work is done. Freezing them skips that walk; exit handlers still run, and the OS
# frees the memory as it does for any exiting process.
atexit.register(gc.freeze)


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a month YYYY-MM") from None


def _db(args) -> str:
    return args.db or os.environ.get("OSIR_DB", DEFAULT_DB)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _materialise_archive(root: Path, db: str, ephemeral: bool, selection=None) -> list[dt.date]:
    """Validate the whole archive and registry first, then run every month through the graph (or through
    ``selection``, a Dagster asset selection)."""
    from osir_assets.quality.expectations import warm_up

    warm_up()  # the audits' validator imports great_expectations (seconds) while the rest starts up
    from osir_assets.definitions import build_resources
    from osir_assets.registry.resources import load_registry
    from osir_assets.runner import materialize_months
    from osir_assets.sources.archive import validate_archive

    if not root.is_dir():
        raise OsirInputError("archive folder not found", str(root))
    started = time.perf_counter()
    registry = load_registry(root)
    months = validate_archive(root)
    if not months:
        raise OsirInputError("no dated folders under data/", str(root))
    _say(f"osir: {len(months)} months in {root} ({months[0]:%Y-%m}..{months[-1]:%Y-%m}), {len(registry.organisations)} organisations; validated in {time.perf_counter() - started:.1f}s")
    step_log = logging.getLogger("osir.progress")
    step_log.setLevel(logging.INFO)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("  %(message)s"))
    step_log.addHandler(handler)
    try:
        materialize_months(
            months,
            build_resources(db, str(root)),
            ephemeral=ephemeral,
            selection=selection,
            progress=lambda block, seconds: _say(f"osir: materialised {block[0]:%Y-%m}..{block[-1]:%Y-%m} in {seconds:.1f}s"),
        )
    finally:
        step_log.removeHandler(handler)
    return months


def _month_summaries(db: str, months: list[dt.date]) -> None:
    with duckdb.connect(db, read_only=True) as con:
        for month in months:
            leader = con.execute(
                "SELECT org, count(*) OVER () FROM influence_scores WHERE month = $m AND view = 'monthly' ORDER BY rank, org_position LIMIT 1",
                {"m": month},
            ).fetchone()
            models = con.execute("SELECT count(*) FROM merged_model_repos WHERE month = $m", {"m": month}).fetchone()[0]
            datasets = con.execute("SELECT count(*) FROM merged_dataset_repos WHERE month = $m", {"m": month}).fetchone()[0]
            ranked = f"{formatted(leader[1], count)} organisations ranked, first: {leader[0]}" if leader else f"not ranked: {unranked_reason(con, month)}"
            _say(f"  {month:%Y-%m}: {formatted(models, count)} models, {formatted(datasets, count)} datasets; {ranked}")


def published_lineage():
    """What `osir reproduce` materialises: the tables the published files are written from, everything they
    are computed from, and the score explanations (`osir explain`). Not the model scorecards nor the
    leaderboard's own analytics, which no published file holds (`--all-assets` adds them)."""
    from dagster import AssetSelection

    from osir_assets.exports.published_layout import WRITTEN_FROM

    return AssetSelection.assets(*WRITTEN_FROM, "score_explanations").upstream()


def cmd_reproduce(args) -> int:
    from osir_assets.exports.published_layout import write_month
    from osir_assets.sources.archive import month_folders

    root, out, db = Path(args.root), Path(args.out), _db(args)
    started = time.perf_counter()
    months = _materialise_archive(root, db, args.ephemeral, selection=None if args.all_assets else published_lineage())
    _month_summaries(db, months)
    folders = month_folders(root)
    blocked = {}
    with duckdb.connect(db, read_only=True) as con:
        for month in months:
            reason = month_block(con, month)
            if reason:  # no rank files for a month whose audit failed, nor for months that need it
                blocked[month] = reason
                _say(f"osir: {month:%Y-%m} BLOCKED, no files written: {reason}")
                continue
            written = write_month(con, month, out / folders[month][1].name)
            if written:
                findings = month_findings(con, month)
                if not findings.is_empty():
                    findings.write_csv(out / folders[month][1].name / "findings.csv")
                _say(f"osir: wrote {len(written)} files to {out / folders[month][1].name}" + (f" ({findings.height} audit findings in findings.csv)" if findings.height else ""))
    _say(f"osir: done in {time.perf_counter() - started:.1f}s (database {db})")
    if blocked:
        print(f"osir: error: {len(blocked)} month(s) blocked by failed checks: {', '.join(f'{m:%Y-%m}' for m in blocked)}", file=sys.stderr)
        return 1
    return 0


def cmd_run(args) -> int:
    from osir_assets.sample import sample_archive

    root, db = args.archive or os.environ.get("OSIR_ARCHIVE"), _db(args)
    if not root:
        root = sample_archive()
        _say(f"osir: using the generated SAMPLE data in {root} (synthetic, for trying OSIR out; not real rankings)")
    months = _materialise_archive(Path(root), db, args.ephemeral)
    _month_summaries(db, months)
    return cmd_rank(argparse.Namespace(db=db, month=None, dimension="overall", accumulated=False))


# How `osir rank` prints each column: ranks and counts whole, scores with 4 decimals, components with 3.
RANK_FORMATS = {"rank": count, "score": decimals(4), "delta": signed_count, "indicators": count, **{d: decimals(3) for d in DIMENSIONS[1:]}}


def rank_table(con: duckdb.DuckDBPyConnection, month: dt.date, dimension: str, view: str):
    if dimension == "overall":
        query = """SELECT rank, org, score, delta_rank AS delta, data, model, infra, eval
                   FROM influence_scores WHERE month = $m AND view = $v ORDER BY rank, org_position"""
        params = {"m": month, "v": view}
    else:
        query = """SELECT r.rank, r.org, r.score, r.delta_rank AS delta, r.indicators_used AS indicators
                   FROM dimension_rankings AS r JOIN org_universe AS u ON u.month = r.month AND u.org = r.org
                   WHERE r.month = $m AND r.view = $v AND r.dimension = $d ORDER BY r.rank, u.org_position"""
        params = {"m": month, "v": view, "d": dimension}
    return con.execute(query, params).pl()


def cmd_rank(args) -> int:
    db = _db(args)
    if not Path(db).exists():
        raise OsirInputError("database not found; run `osir run` or `osir reproduce` first", db)
    view = "accumulated" if args.accumulated else "monthly"
    with duckdb.connect(db, read_only=True) as con:
        scored = table_exists(con, "influence_scores")
        month = args.month or (con.execute("SELECT max(month) FROM influence_scores").fetchone()[0] if scored else None)
        if month is None:
            raise OsirInputError("the database has no scores yet; run `osir run` or `osir reproduce` first", db)
        table = rank_table(con, month, args.dimension, view) if scored else None
        if table is None or table.is_empty():
            raise OsirInputError(no_ranking(con, month, view, args.dimension), db)
        notes, reason, sample = describe(con, month), month_block(con, month), from_sample(con, [month])
    print(heading(f"OSIR {args.dimension} ranking, {month:%Y-%m} ({view})", sample))
    print(text_table(table, RANK_FORMATS))
    if reason:
        print(f"NOTE: a rerun of this month was blocked, these are the earlier published scores: {reason}")
    if notes:
        print("Audit findings for this month (details: findings.csv of `osir reproduce`, or the asset checks in the UI):")
        print("\n".join(notes))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="osir", description="OSIR: the open-source influence ranking of the large-model technology stack.")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, help_text: str, materialises: bool = False):
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.add_argument("--db", help=f"DuckDB file (default: $OSIR_DB or {DEFAULT_DB})")
        if materialises:
            command.add_argument("--ephemeral", action="store_true", help="record the runs nowhere (default: in the database's Dagster instance, see `osir instance`)")
        return command

    run = add("run", "Materialise every month of an archive (default: the generated sample) and print the overall ranking.", materialises=True)
    run.add_argument("--archive", help="archive root laid out like OSIR-LMTS (config/, data/<YYYY-MM-DD>/)")
    run.set_defaults(handler=cmd_run)

    reproduce = add("reproduce", "Import every dated folder of ROOT, materialise every month of the published tables' lineage and write the tables to OUT.", materialises=True)
    reproduce.add_argument("root", help="archive root laid out like OSIR-LMTS")
    reproduce.add_argument("--out", required=True, help="output folder; OUT/<YYYY-MM-DD>/ per archive folder")
    reproduce.add_argument(
        "--all-assets", action="store_true", help="materialise the whole graph, model scorecards and leaderboard analytics included (default: what the published tables need)"
    )
    reproduce.set_defaults(handler=cmd_reproduce)

    rank = add("rank", "Print a month's ranking table.")
    rank.add_argument("--month", type=_month, help="YYYY-MM (default: the latest ranked month)")
    rank.add_argument("--dimension", choices=DIMENSIONS, default="overall")
    rank.add_argument("--accumulated", action="store_true", help="the accumulated view instead of the monthly one")
    rank.set_defaults(handler=cmd_rank)

    collect = add("collect", "Collect the current month from the platforms (live), then score it once every platform is collected.", materialises=True)
    collect.add_argument("--platform", choices=PLATFORM_CHOICES, help="collect this platform only (default: all)")
    collect.set_defaults(handler=cmd_collect)
    add_operating_commands(add)
    from osir_assets.search.cli import add_search_command  # the search domain's own command

    add_search_command(add, _month)

    from osir_assets.scorecards.cli import add_scorecard_commands  # argparse only; the handlers import the rest

    add_scorecard_commands(add, _month)
    return parser


def add_operating_commands(add) -> None:
    """explain, diff, report, backfill, instance: their handlers import their modules only when they run, so `osir rank` stays quick."""

    def later(module: str, function: str):
        import importlib

        return lambda args: getattr(importlib.import_module(module), function)(args)

    explain = add("explain", "Walk an organisation's score back: dimension ranks, indicators (value, max, normalised, weight), repositories.")
    explain.add_argument("org", help="organisation as ranked (case-insensitive)")
    explain.add_argument("--month", type=_month, help="YYYY-MM (default: the latest ranked month)")
    explain.add_argument("--dimension", choices=DIMENSIONS, default="overall", help="one dimension only (default: all)")
    explain.add_argument("--accumulated", action="store_true", help="the accumulated view instead of the monthly one")
    explain.add_argument("--top", type=int, default=3, help="repositories shown per indicator (default 3)")
    explain.set_defaults(handler=later("osir_assets.explain.cli", "cmd_explain"))

    diff = add("diff", "Say which dimensions and indicators moved an organisation's rank between two months.")
    diff.add_argument("org", help="organisation as ranked (case-insensitive)")
    diff.add_argument("--from", dest="from_month", type=_month, required=True, help="YYYY-MM")
    diff.add_argument("--to", dest="to_month", type=_month, required=True, help="YYYY-MM")
    diff.add_argument("--accumulated", action="store_true", help="the accumulated view instead of the monthly one")
    diff.add_argument("--top", type=int, default=3, help="indicators shown per dimension (default 3)")
    diff.set_defaults(handler=later("osir_assets.explain.cli", "cmd_diff"))

    report = add("report", "Write a month's static HTML report (DIR/osir-YYYY-MM.html) and its tables as Parquet (DIR/parquet/YYYY-MM/).")
    report.add_argument("--month", type=_month, help="YYYY-MM (default: the latest ranked month)")
    report.add_argument("--out", required=True, help="output folder")
    report.add_argument("--no-parquet", action="store_true", help="the HTML report only")
    report.set_defaults(handler=later("osir_assets.exports.report", "cmd_report"))

    backfill = add("backfill", "Materialise a range of months (one run, in this process) from the archive.", materialises=True)
    backfill.add_argument("--from", dest="from_month", type=_month, required=True, help="YYYY-MM")
    backfill.add_argument("--to", dest="to_month", type=_month, required=True, help="YYYY-MM")
    backfill.add_argument("--archive", help="archive root (default: $OSIR_ARCHIVE, else the generated sample)")
    backfill.set_defaults(handler=later("osir_assets.automation.backfill", "cmd_backfill"))

    instance = add("instance", "Print the Dagster instance folder recording the database's runs (created with the shipped configuration if new).")
    instance.set_defaults(handler=later("osir_assets.automation.instance", "cmd_instance"))

    from osir_assets.leaderboard.cli import add_analytics_command  # its handler imports Dagster only when it runs

    add_analytics_command(add, _month)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except OsirInputError as exc:
        print(f"osir: error: {exc}", file=sys.stderr)
        return 2
    except duckdb.IOException as exc:
        print(f"osir: error: cannot open the database ({' '.join(str(exc).split())})", file=sys.stderr)
        return 2
    except Exception as exc:  # a failed month: say which and why, in one line
        from osir_assets.runner import MonthFailed

        if isinstance(exc, MonthFailed):
            print(f"osir: error: {exc}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())

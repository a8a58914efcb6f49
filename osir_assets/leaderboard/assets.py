"""The source asset ``open_llm_leaderboard``: a month's Open LLM Leaderboard snapshot, normalised (table
``leaderboard_entries``, one row per leaderboard row, before deduplication).

Written, audited, then published (osir_assets/quality): the schema, one row per (model, precision, sha) and
scores within 0..100 block a faulty month; more than half the rows flagged is a warning (``mostly_flagged``:
the leaderboard v1 exports invert their flag columns, see resources.LeaderboardSource.invert_flags).
The analytics over it are SQL files under dbt_like_sql/leaderboard/.
"""

import datetime as dt

from dagster import AssetExecutionContext, AssetKey, BackfillPolicy, Failure, MaterializeResult, asset

from osir_assets.lib.duckdb_store import stage_month, transaction
from osir_assets.lib.duckdb_resource import DuckDBStore
from osir_assets.leaderboard.resources import LeaderboardSource
from osir_assets.leaderboard.source import BENCHMARKS, ENTRY_SCHEMA
from osir_assets.partitions import month_of, monthly_partitions
from osir_assets.quality.config import QualityConfig
from osir_assets.quality.expectations import TableRules
from osir_assets.quality.findings import Finding
from osir_assets.quality.gate import AUDITED_STEP_TAGS, audit_and_publish, audit_check_specs, check_results, ensure_tables, rule_names, stored_waivers

ASSET = "open_llm_leaderboard"
TABLE = "leaderboard_entries"
MOSTLY_FLAGGED = "mostly_flagged"
ENTRY_RULES = TableRules(
    columns=("month", *ENTRY_SCHEMA),
    not_null=("model", "author", "precision", "sha", "type"),
    unique=("model", "precision", "sha"),
    between={c: (0.0, 100.0) for c in ("average", *BENCHMARKS)},
    identity=("model", "precision", "sha"),
)


def flagged_share(con, staged: str, month: dt.date, severity: str) -> list[Finding]:
    flagged, rows = con.execute(f'SELECT count(*) FILTER (WHERE flagged), count(*) FROM "{staged}" WHERE month = $m', {"m": month}).fetchone()
    passed = rows == 0 or flagged * 2 <= rows
    message = (
        f"{MOSTLY_FLAGGED}: {flagged:,} of {rows:,} rows flagged"
        + ("" if passed else " (a leaderboard v1 export? they invert merged/flagged/moe: import it with --invert-flags)")
    )
    return [Finding(MOSTLY_FLAGGED, severity, passed, message, 0 if passed else flagged)]


@asset(
    name=ASSET,
    group_name="leaderboard",
    partitions_def=monthly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    description="The Open LLM Leaderboard as seen that month (table leaderboard_entries): every row normalised, before deduplication.",
    kinds={"duckdb"},
    metadata={"table": TABLE},
    check_specs=audit_check_specs([AssetKey(ASSET)], [*rule_names(ENTRY_RULES), MOSTLY_FLAGGED]),
    op_tags=AUDITED_STEP_TAGS,
)
def open_llm_leaderboard(context: AssetExecutionContext, leaderboard: LeaderboardSource, duckdb: DuckDBStore, quality: QualityConfig):
    months = sorted(month_of(k) for k in context.partition_keys)
    origins = {}
    staged = f"_staged_{ASSET}"
    with duckdb.connect() as con, transaction(con):
        ensure_tables(con)
        for month in months:  # write: every month of the run into staging
            frame, origins[month.isoformat()] = leaderboard.snapshot(month)
            con.register("_leaderboard", frame.to_arrow())
            stage_month(con, staged, month, "SELECT * FROM _leaderboard")
            con.unregister("_leaderboard")
        anomalies = lambda con, staged, month: flagged_share(con, staged, month, quality.severity_of(MOSTLY_FLAGGED))
        said = lambda month, count, failed: f"{ASSET}: {month:%Y-%m} -> {count:,} leaderboard rows from {origins[month.isoformat()]['origin']}" + (
            f"; warnings: {'; '.join(f.message for f in failed)}" if failed else "")
        rows, blocked, audits = audit_and_publish(con, context, ASSET, TABLE, staged, months, ENTRY_RULES, quality, stored_waivers(con), anomalies, said)
    results = check_results([context.assets_def.key], [*rule_names(ENTRY_RULES), MOSTLY_FLAGGED], audits, quality, blocked)
    if blocked and not rows:
        yield from results
        raise Failure(description=f"{ASSET}: every month of this run failed its audit", metadata={"blocked_months": blocked})
    yield MaterializeResult(metadata={"table": TABLE, "rows_by_month": rows, "origin": origins, "blocked_months": blocked}, check_results=results)

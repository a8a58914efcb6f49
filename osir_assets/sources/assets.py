"""One asset per platform source and kind: that month's per-repository snapshot, as the platform showed it.

Every month is written, audited, then published (osir_assets/quality): the structural suite (schema, keys,
counters) blocks a faulty month; month-over-month anomalies and registry coverage are listed as warnings.
"""

import polars as pl
from dagster import AssetExecutionContext, AssetKey, BackfillPolicy, Failure, MaterializeResult, asset

from osir_assets.lib.formatting import count, formatted
from osir_assets.lib.duckdb_store import replace_month_from_frame, transaction
from osir_assets.lib.duckdb_resource import DuckDBStore
from osir_assets.partitions import month_of, monthly_partitions
from osir_assets.quality.config import QualityConfig
from osir_assets.quality.expectations import TableRules
from osir_assets.quality.report import findings_summary
from osir_assets.quality.gate import AUDITED_STEP_TAGS, audit_and_publish, audit_batch_full, audit_check_specs, check_results, ensure_tables, rule_names, source_anomalies
from osir_assets.registry.resources import RegistryResource
from osir_assets.sources.archive import COUNTER
from osir_assets.sources.resources import PlatformSources
from osir_assets.sources.schema import SNAPSHOT_SCHEMA

PLATFORM_SOURCES = {
    "hf_model_repos": ("HuggingFace", "model"),
    "hf_dataset_repos": ("HuggingFace", "dataset"),
    "modelscope_model_repos": ("ModelScope", "model"),
    "modelscope_dataset_repos": ("ModelScope", "dataset"),
    "opendatalab_dataset_repos": ("OpenDataLab", "dataset"),
    "baai_data_dataset_repos": ("BAAIData", "dataset"),
}
COUNTERS = ("downloads_last_month", "total_downloads", "likes", "community", "descendants", "dataset_usage")


def snapshot_rules(platform: str) -> TableRules:
    # -1 is the crawlers' "not collected" mark (e.g. dataset likes before 2025-09): reported, not an error.
    return TableRules(
        columns=("month", *SNAPSHOT_SCHEMA),
        not_null=("platform", "kind", "account", "name", "date_crawl", COUNTER[platform]),
        minimum={c: -1 for c in COUNTERS},
        identity=("account", "name"),
    )


def build_platform_source(name: str, platform: str, kind: str):
    rules = snapshot_rules(platform)
    checks = rule_names(rules, anomalies=True)

    @asset(
        name=name,
        group_name="sources",
        partitions_def=monthly_partitions,
        backfill_policy=BackfillPolicy.single_run(),
        description=f"{platform} {kind} repositories of the registered accounts, one row per repository, as seen that month.",
        kinds={"duckdb"},
        check_specs=audit_check_specs([AssetKey(name)], checks),
        op_tags=AUDITED_STEP_TAGS,
    )
    def _source(
        context: AssetExecutionContext, platform_sources: PlatformSources, duckdb: DuckDBStore, quality: QualityConfig, registry: RegistryResource
    ):
        loaded = registry.load()
        origins = {}
        staged = f"_staged_{name}"
        months = sorted(month_of(k) for k in context.partition_keys)
        # audit: structure with great_expectations, anomalies and coverage in SQL; publish the months with no ERROR left
        anomalies = lambda con, staged, month: source_anomalies(con, staged, name, month, loaded, kind, quality)
        said = lambda month, rows, failed: f"{name}: {month:%Y-%m} -> {formatted(rows, count)} repositories from {origins[month.isoformat()]['origin']}" + (
            f"; {findings_summary(failed)}" if failed else "")
        rows, blocked, audits, batch = {}, {}, [], []
        with duckdb.connect() as con, transaction(con):
            ensure_tables(con)
            for month in months:  # write into staging, then audit and publish a batch of months at a time
                origins[month.isoformat()] = platform_sources.stage_snapshot(con, staged, month, platform, kind, context.log)
                batch.append(month)
                if month == months[-1] or audit_batch_full(con, staged):
                    published, refused, audited = audit_and_publish(con, context, name, name, staged, batch, rules, quality, loaded.waivers_for, anomalies, said)
                    rows, blocked, audits, batch = rows | published, blocked | refused, audits + audited, []
        results = check_results([context.assets_def.key], checks, audits, quality, blocked)
        if blocked and not rows:
            yield from results  # the UI shows the failed audit even though nothing was materialised
            raise Failure(description=f"{name}: every month of this run failed its audit", metadata={"blocked_months": blocked})
        yield MaterializeResult(metadata={"rows_by_month": rows, "origin": origins, "blocked_months": blocked}, check_results=results)

    return _source


platform_source_assets = [build_platform_source(n, p, k) for n, (p, k) in PLATFORM_SOURCES.items()]


@asset(
    group_name="sources",
    partitions_def=monthly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    description="The day each month's snapshot was taken (previous-snapshot rules, baselines and delta ranks, use it) "
    "and where it came from: the archive folder or 'live', and whether that is the generated SAMPLE.",
    kinds={"duckdb"},
)
def month_snapshot(context: AssetExecutionContext, platform_sources: PlatformSources, duckdb: DuckDBStore) -> MaterializeResult:
    dates = {}
    archive, sample = platform_sources.origin()
    with duckdb.connect() as con:
        for key in sorted(context.partition_keys):
            month = month_of(key)
            snapshot = platform_sources.snapshot_date(month)
            frame = pl.DataFrame(
                {"snapshot_date": [snapshot], "archive": [archive], "sample": [sample]},
                schema={"snapshot_date": pl.Date, "archive": pl.String, "sample": pl.Boolean},
            ).filter(pl.col("snapshot_date").is_not_null())
            replace_month_from_frame(con, "month_snapshot", month, frame)
            dates[key] = str(snapshot)
    return MaterializeResult(metadata={"snapshot_dates": dates})

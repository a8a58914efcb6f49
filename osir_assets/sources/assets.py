"""One asset per platform source and kind: that month's per-repository snapshot, as the platform showed it."""


import polars as pl
from dagster import AssetExecutionContext, BackfillPolicy, MaterializeResult, asset

from osir_assets.lib.duckdb_store import DuckDBStore, replace_month_from_frame
from osir_assets.progress import report
from osir_assets.partitions import month_of, monthly_partitions
from osir_assets.sources.resources import PlatformSources

PLATFORM_SOURCES = {
    "hf_model_repos": ("HuggingFace", "model"),
    "hf_dataset_repos": ("HuggingFace", "dataset"),
    "modelscope_model_repos": ("ModelScope", "model"),
    "modelscope_dataset_repos": ("ModelScope", "dataset"),
    "opendatalab_dataset_repos": ("OpenDataLab", "dataset"),
    "baai_data_dataset_repos": ("BAAIData", "dataset"),
}


def build_platform_source(name: str, platform: str, kind: str):
    @asset(
        name=name,
        group_name="sources",
        partitions_def=monthly_partitions,
        backfill_policy=BackfillPolicy.single_run(),
        description=f"{platform} {kind} repositories of the registered accounts, one row per repository, as seen that month.",
        kinds={"duckdb"},
    )
    def _source(context: AssetExecutionContext, platform_sources: PlatformSources, duckdb: DuckDBStore) -> MaterializeResult:
        rows, origins = {}, {}
        with duckdb.connect() as con:
            for key in sorted(context.partition_keys):
                month = month_of(key)
                frame, origin = platform_sources.snapshot(month, platform, kind, context.log)
                rows[key] = replace_month_from_frame(con, name, month, frame)
                origins[key] = origin
                report(context, f"{name}: {month:%Y-%m} -> {rows[key]} repositories from {origin['origin']}")
        return MaterializeResult(metadata={"rows_by_month": rows, "origin": origins})

    return _source


platform_source_assets = [build_platform_source(n, p, k) for n, (p, k) in PLATFORM_SOURCES.items()]


@asset(
    group_name="sources",
    partitions_def=monthly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    description="The day each month's snapshot was taken; previous-snapshot rules (baselines, delta ranks) use it.",
    kinds={"duckdb"},
)
def month_snapshot(context: AssetExecutionContext, platform_sources: PlatformSources, duckdb: DuckDBStore) -> MaterializeResult:
    dates = {}
    with duckdb.connect() as con:
        for key in sorted(context.partition_keys):
            month = month_of(key)
            snapshot = platform_sources.snapshot_date(month)
            frame = pl.DataFrame({"snapshot_date": [snapshot]}, schema={"snapshot_date": pl.Date}).filter(pl.col("snapshot_date").is_not_null())
            replace_month_from_frame(con, "month_snapshot", month, frame)
            dates[key] = str(snapshot)
    return MaterializeResult(metadata={"snapshot_dates": dates})

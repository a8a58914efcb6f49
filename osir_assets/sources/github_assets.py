"""The GitHub source asset: the month's activity of the registered model, infrastructure and evaluation repositories."""

from dagster import AssetExecutionContext, BackfillPolicy, MaterializeResult, asset

from osir_assets.lib.duckdb_store import replace_month_from_frame
from osir_assets.lib.duckdb_resource import DuckDBStore
from osir_assets.lib.formatting import count, formatted
from osir_assets.partitions import month_of, monthly_partitions
from osir_assets.progress import report
from osir_assets.sources.resources import PlatformSources


@asset(
    group_name="sources",
    partitions_def=monthly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    description="GitHub activity of the registered repositories, one row per repository and month: stars, forks, open issues, "
    "active contributors in the month (bots excluded), releases. Empty for archive months without GitHub figures.",
    kinds={"duckdb", "github"},
)
def github_repos(context: AssetExecutionContext, platform_sources: PlatformSources, duckdb: DuckDBStore) -> MaterializeResult:
    rows, origins = {}, {}
    with duckdb.connect() as con:
        for key in sorted(context.partition_keys):
            month = month_of(key)
            # Read (or collect) before writing: a collection that fails leaves the month's previous rows in place.
            frame, origin = platform_sources.github_snapshot(month, context.log)
            rows[key] = replace_month_from_frame(con, "github_repos", month, frame)
            origins[key] = origin
            report(context, f"github_repos: {month:%Y-%m} -> {formatted(rows[key], count)} repositories from {origin['origin']}")
    return MaterializeResult(metadata={"rows_by_month": rows, "origin": origins})

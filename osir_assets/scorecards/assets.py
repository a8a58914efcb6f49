"""The scorecards' Python assets: the configuration a month is scored with, and the month's look-alike ids.

The scoring itself is SQL (``dbt_like_sql/scorecards/``: ``model_scorecard_factors`` -> ``model_scorecards``
-> ``org_model_trust``), audited like the ranking; it reads the two tables written here.
"""

import polars as pl
from dagster import AssetExecutionContext, BackfillPolicy, MaterializeResult, asset

from osir_assets.lib.duckdb_store import replace_month_from_frame
from osir_assets.lib.duckdb_resource import DuckDBStore
from osir_assets.partitions import month_of, monthly_partitions
from osir_assets.scorecards.config import ScorecardConfig
from osir_assets.scorecards.lookalikes import month_lookalikes


@asset(
    group_name="scorecards",
    partitions_def=monthly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    description="The scorecard configuration a month was scored with: category weights, licence classes, access points, thresholds.",
    kinds={"duckdb"},
)
def scorecard_profile(context: AssetExecutionContext, scorecard_config: ScorecardConfig, duckdb: DuckDBStore) -> MaterializeResult:
    profile = scorecard_config.profile_table()
    with duckdb.connect() as con:
        for key in sorted(context.partition_keys):
            replace_month_from_frame(con, "scorecard_profile", month_of(key), profile)
    weights = profile.filter(pl.col("section") == "weight")
    return MaterializeResult(metadata={"weights": dict(zip(weights["key"], weights["value"])), "licences": profile.filter(pl.col("section") == "licence").height})


@asset(
    group_name="scorecards",
    deps=["model_cards", "registry_accounts", "scorecard_profile"],
    partitions_def=monthly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    description="Model ids that look like a much more popular model of another organisation (typosquatting), one row per pair.",
    kinds={"duckdb", "polars"},
)
def model_lookalikes(context: AssetExecutionContext, duckdb: DuckDBStore) -> MaterializeResult:
    found = {}
    with duckdb.connect() as con:
        for key in sorted(context.partition_keys):
            month = month_of(key)
            found[key] = replace_month_from_frame(con, "model_lookalikes", month, month_lookalikes(con, month))
    return MaterializeResult(metadata={"lookalikes_by_month": found})

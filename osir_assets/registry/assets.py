"""The registry, stored per month: what a month was scored with stays beside its scores.

Curated infrastructure and evaluation figures are the latest table published for the month or before;
their row order is the month's list of ranked organisations.
"""


import datetime as dt
from collections.abc import Callable

import polars as pl
from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, AssetSpec, BackfillPolicy, MaterializeResult, asset

from osir_assets.lib.duckdb_store import replace_month_from_frame
from osir_assets.lib.duckdb_resource import DuckDBStore
from osir_assets.partitions import month_of, monthly_partitions
from osir_assets.registry.model import Registry
from osir_assets.registry.resources import RegistryResource
from osir_assets.sources.assets import PLATFORM_SOURCES
from osir_assets.sources.resources import PlatformSources


def _curated(dimension: str) -> Callable[[Registry, dt.date], pl.DataFrame]:
    def pick(registry: Registry, month: dt.date) -> pl.DataFrame:
        return registry.curated_for(dimension, month).rename({"month": "published_month"}).drop("dimension")

    return pick


REGISTRY_TABLES: dict[str, tuple[str, Callable[[Registry, dt.date], pl.DataFrame]]] = {
    "registry_accounts": ("Platform accounts of each organisation.", lambda r, m: r.accounts),
    "registry_org_constants": ("Per-organisation constants (data operators, model adapted chips).", lambda r, m: r.constants),
    "registry_model_labels": ("Frozen model labels: modality and the large-model flag.", lambda r, m: r.model_labels),
    "registry_dataset_labels": ("Frozen dataset labels: modality, lifecycle and validity.", lambda r, m: r.dataset_labels),
    "curated_infra_indicators": ("Hand-curated infrastructure indicators in force this month.", _curated("infra")),
    "curated_eval_indicators": ("Hand-curated evaluation-platform indicators in force this month.", _curated("eval")),
    "curated_extra_datasets": ("Curated datasets published outside the crawled platforms.", lambda r, m: r.extra_datasets),
    "registry_waivers": ("Known anomalies accepted for this month, each with its reason.", lambda r, m: r.waivers_for(m)),
}


def file_key(table: str) -> AssetKey:
    """The registry files a table is made from, as an external asset observed per month (registry/observation.py)."""
    return AssetKey(["registry_files", table])


# External assets: Dagster never materialises them; observations give them their versions.
registry_files = AssetsDefinition(specs=[
    AssetSpec(
        file_key(table),
        partitions_def=monthly_partitions,
        group_name="registry",
        description=f"The registry files as they make {table} for a month; its data version is a digest of those rows, observed by osir runs and the registry_changes sensor.",
        kinds={"file"},
    )
    for table in REGISTRY_TABLES
])


# In live mode a month's label tables include the labels derived from that month's snapshots (see
# registry/derived_labels.py), so they are written after the snapshots of their kind. Declared on the asset
# itself: that makes it an order of execution, not only a line in the lineage.
LABELS_AFTER = {
    "registry_model_labels": [n for n, (_, kind) in PLATFORM_SOURCES.items() if kind == "model"],
    "registry_dataset_labels": [n for n, (_, kind) in PLATFORM_SOURCES.items() if kind == "dataset"],
}


def build_registry_asset(name: str, description: str, select: Callable[[Registry, dt.date], pl.DataFrame]):
    @asset(
        name=name,
        deps=[file_key(name), *LABELS_AFTER.get(name, [])],
        group_name="registry",
        partitions_def=monthly_partitions,
        backfill_policy=BackfillPolicy.single_run(),
        description=description,
        kinds={"duckdb"},
    )
    def _registry_table(context: AssetExecutionContext, registry: RegistryResource, duckdb: DuckDBStore, platform_sources: PlatformSources) -> MaterializeResult:
        for key in context.partition_keys:
            platform_sources.check_month(month_of(key))
        loaded = registry.load()
        rows = {}
        with duckdb.connect() as con:
            for key in sorted(context.partition_keys):
                rows[key] = replace_month_from_frame(con, name, month_of(key), select(loaded, month_of(key)))
        return MaterializeResult(metadata={"rows_by_month": rows, "registry": loaded.source})

    return _registry_table


registry_assets = [build_registry_asset(name, d, f) for name, (d, f) in REGISTRY_TABLES.items()]

"""The one Definitions object: sources and registry -> staging SQL -> merged repos -> indicators -> scores."""

import os

from dagster import Definitions, in_process_executor

from osir_assets.lib.duckdb_store import DEFAULT_DB, DuckDBStore
from osir_assets.registry.assets import registry_assets
from osir_assets.registry.resources import RegistryResource
from osir_assets.scoring.profile import ScoringProfile, scoring_profile
from osir_assets.sources.assets import month_snapshot, platform_source_assets
from osir_assets.sources.resources import SAMPLE_ROOT, PlatformSources
from osir_assets.sql_assets import sql_assets

python_assets = [*platform_source_assets, month_snapshot, *registry_assets, scoring_profile]


def build_resources(db_path: str | None = None, archive: str | None = None, registry: str | None = None, scoring: ScoringProfile | None = None) -> dict:
    archive = archive or os.environ.get("OSIR_ARCHIVE") or str(SAMPLE_ROOT)
    return {
        "duckdb": DuckDBStore(path=db_path or os.environ.get("OSIR_DB", DEFAULT_DB), memory_limit=os.environ.get("OSIR_DUCKDB_MEMORY", "")),
        "platform_sources": PlatformSources(archive_root=archive),
        "registry": RegistryResource(path=registry or os.environ.get("OSIR_REGISTRY") or archive),
        "scoring": scoring or ScoringProfile(),
    }


all_assets = [*python_assets, *sql_assets([k for a in python_assets for k in a.keys])]

# One process writes the DuckDB file at a time: DuckDB is single-writer, so runs execute in process.
defs = Definitions(assets=all_assets, resources=build_resources(), executor=in_process_executor)

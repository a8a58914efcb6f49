"""The one Definitions object: sources and registry -> staging SQL -> merged repos -> indicators -> scores."""

import os
from pathlib import Path

from dagster import Definitions, in_process_executor

from osir_assets.automation import build_schedules, build_sensors, osir_month_job
from osir_assets.explain.asset import score_explanations
from osir_assets.lib.duckdb_store import DEFAULT_DB
from osir_assets.lib.duckdb_resource import DuckDBStore
from osir_assets.quality.config import QualityConfig
from osir_assets.registry.assets import registry_assets, registry_files
from osir_assets.registry.resources import RegistryResource
from osir_assets.scoring.profile import ScoringProfile, scoring_profile
from osir_assets.sources.assets import month_snapshot, platform_source_assets
from osir_assets.sources.github_assets import github_repos
from osir_assets.leaderboard.assets import open_llm_leaderboard
from osir_assets.leaderboard.resources import leaderboard_from_environment
from osir_assets.lib.package_files import NATIVE_REGISTRY, SQL_ROOT
from osir_assets.lib.sql_assets import build_sql_assets
from osir_assets.sample import sample_archive
from osir_assets.scorecards.assets import model_lookalikes, scorecard_profile
from osir_assets.scorecards.config import ScorecardConfig
from osir_assets.sources.resources import PlatformSources, collectors_from_environment

python_assets = [
    *platform_source_assets, month_snapshot, github_repos, registry_files, *registry_assets, scoring_profile, open_llm_leaderboard, scorecard_profile, model_lookalikes,
]


def build_resources(
    db_path: str | None = None,
    archive: str | None = None,
    registry: str | None = None,
    scoring: ScoringProfile | None = None,
    quality: QualityConfig | None = None,
    mode: str | None = None,
) -> dict:
    """``mode``: where source assets read a month, 'archive' (default) or 'live' (OSIR_MODE). Live mode collects
    for the accounts of OSIR's own registry (registry/, unless OSIR_REGISTRY says otherwise) and keeps raw
    responses and derived labels under <db dir>/raw."""
    mode = mode or os.environ.get("OSIR_MODE") or "archive"
    db_path = db_path or os.environ.get("OSIR_DB", DEFAULT_DB)
    archive = archive or os.environ.get("OSIR_ARCHIVE") or str(sample_archive())
    registry = registry or os.environ.get("OSIR_REGISTRY") or (str(NATIVE_REGISTRY) if mode == "live" else archive)
    raw_dir = str(Path(db_path).parent / "raw")
    return {
        "duckdb": DuckDBStore(path=db_path, memory_limit=os.environ.get("OSIR_DUCKDB_MEMORY", "")),
        "platform_sources": PlatformSources(mode=mode, archive_root=archive, registry_path=registry, raw_dir=raw_dir, **collectors_from_environment()),
        "registry": RegistryResource(path=registry, derived_labels=raw_dir if mode == "live" else ""),
        "scoring": scoring or ScoringProfile(),
        "leaderboard": leaderboard_from_environment(archive, raw_dir),
        "scorecard_config": ScorecardConfig.from_environment(),
        "quality": quality or (QualityConfig.from_file(os.environ["OSIR_QUALITY"]) if os.environ.get("OSIR_QUALITY") else QualityConfig()),
    }


# Every dbt_like_sql/**/*.sql file is an asset (lib/sql_assets.py documents the format).
all_assets = [*python_assets, *build_sql_assets(SQL_ROOT, [k for a in python_assets for k in a.keys]), score_explanations]

# One process writes the DuckDB file at a time: DuckDB is single-writer, so runs execute in process.
resources = build_resources()
defs = Definitions(
    assets=all_assets,
    resources=resources,
    executor=in_process_executor,
    # Off until the operator turns them on, except the failed-run report (osir_assets/automation/).
    jobs=[osir_month_job],
    schedules=build_schedules(),
    sensors=build_sensors(resources["duckdb"].path),
)

"""A range backfill touches only its range: the accumulated view is incremental, so later months turn stale
instead of being rewritten.

Five months are materialised; one organisation's Hugging Face downloads of months 2 and 3 are then corrected in the archive and
only those two months are backfilled. Months 2 and 3 change (so the test can see a rewrite), month 1 and the later
months 4 and 5 stay byte-identical, table by table (they are stale now, and the UI says so).

Dagster's own backfill planner (what the UI launches for a partition range) follows the partition mappings. With
the old ``[:0]`` dependency it targeted the accumulated tables of every later month up to the newest partition
(25 months here). Now it targets the range and the two months after it, whose own inputs read the range: their
ModelScope / OpenDataLab / BAAI monthly downloads are differences to a snapshot 30 +- 15 days earlier
(``modelscope_model_repos[-2:0]``), so a corrected month changes them. Nothing further.
"""

import datetime as dt
import time

import polars as pl
from dagster import AssetKey
from dagster._core.execution.asset_backfill import AssetBackfillData

from osir_assets.cli import main
from osir_assets.synthetic import generate_archive
from osir_assets_tests.conftest import all_tables, month_hash, run_archive

MONTHS = [dt.date(2024, 11, 1), dt.date(2024, 12, 1), dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]
RANGE = MONTHS[1:3]
ACCUMULATED = [AssetKey("accumulated_model_repos"), AssetKey("accumulated_dataset_repos")]


def _triple_one_organisations_downloads(archive, month: dt.date) -> None:
    folder = next(p for p in (archive / "data").iterdir() if p.name.startswith(f"{month:%Y-%m}"))
    for path in (folder / "HuggingFace").glob("raw-*-info.jsonl"):
        frame = pl.read_ndjson(path, infer_schema_length=None)
        tripled = pl.when(pl.col("repo") == "sample-org-1").then(pl.col("downloads_last_month") * 3).otherwise(pl.col("downloads_last_month"))
        frame.with_columns(tripled.alias("downloads_last_month")).write_ndjson(path)


def test_a_two_month_backfill_in_the_middle_rewrites_only_those_months(tmp_path):
    archive = generate_archive(tmp_path / "archive", orgs=4, models_per_org=12, datasets_per_org=5, months=5, curated_from=1)
    db = tmp_path / "osir.duckdb"
    assert run_archive(archive, db) == MONTHS
    tables = [t for t in all_tables(db) if t not in ("month_blocks", "audit_results")]
    before = {(t, m): month_hash(db, t, m) for t in tables for m in MONTHS}

    for month in RANGE:
        _triple_one_organisations_downloads(archive, month)
    assert main(["backfill", "--from", "2024-12", "--to", "2025-01", "--db", str(db), "--archive", str(archive)]) == 0
    after = {(t, m): month_hash(db, t, m) for t in tables for m in MONTHS}

    changed = {t for t in tables for m in RANGE if before[t, m] != after[t, m]}
    assert {"hf_model_repos", "merged_model_repos", "accumulated_model_repos", "influence_scores"} <= changed
    untouched = [MONTHS[0], *MONTHS[3:]]
    rewritten = sorted((t, f"{m:%Y-%m}") for t in tables for m in untouched if before[t, m] != after[t, m])
    assert rewritten == [], "only the backfilled months may change"


def test_dagsters_backfill_planner_stops_two_months_after_the_range():
    from osir_assets.definitions import defs

    graph = defs.resolve_asset_graph()
    plan = AssetBackfillData.from_asset_partitions(
        asset_graph=graph,
        partition_names=["2024-12-01", "2025-01-01"],
        asset_selection=list(graph.materializable_asset_keys),
        dynamic_partitions_store=None,
        backfill_start_timestamp=time.time(),
        all_partitions=False,
    )
    for key in ACCUMULATED:
        targeted = sorted(plan.target_subset.get_partitions_subset(key).get_partition_keys())
        assert targeted == ["2024-12-01", "2025-01-01", "2025-02-01", "2025-03-01"], key.to_user_string()

"""The registry files as the Dagster UI sees them: observed, with a data version per table and month.

Each registry table asset depends on an external asset ``registry_files/<table>`` (registry/assets.py), partitioned by month, whose
data version for a month is the fingerprint of the rows the table asset would write for that month (a digest
of them). Every osir run records the versions of its months before it materialises, so each registry month
remembers the version it read; the ``registry_changes`` sensor records them again on each tick. After an edit
of a registry file, the months whose rows it changes show in the UI as unsynced ("has a new dependency data
version"), and only those; the sensor's runs bring them back in sync.

Nothing is recorded when a version has not moved, so rerunning a month does not grow the event log.
"""

import datetime as dt
import hashlib

import polars as pl
from dagster import AssetObservation, AssetRecordsFilter
from dagster._core.definitions.data_version import DATA_VERSION_TAG

from osir_assets.partitions import month_of, partition_key
from osir_assets.registry.assets import REGISTRY_TABLES, file_key
from osir_assets.registry.model import Registry

Fingerprints = dict[str, dict[str, str]]  # registry table -> month key -> digest


def _digest(frame: pl.DataFrame) -> str:
    # NDJSON text is stable across polars versions and handles every column type, unlike row hashes.
    return hashlib.sha256(frame.write_ndjson().encode("utf-8")).hexdigest()[:16]


def registry_fingerprints(registry: Registry, month_keys: list[str]) -> Fingerprints:
    """Per registry table and month, a digest of the rows its asset would write for that month."""
    fingerprints: Fingerprints = {}
    for table, (_, rows_for_month) in REGISTRY_TABLES.items():
        # Accounts, labels and constants are one frame for every month: digest each distinct frame once
        # (the frame is kept in the memo so its id cannot be reused by another frame meanwhile).
        memo: dict[int, tuple[pl.DataFrame, str]] = {}
        per_month = {}
        for key in month_keys:
            frame = rows_for_month(registry, month_of(key))
            if id(frame) not in memo:
                memo[id(frame)] = (frame, _digest(frame))
            per_month[key] = memo[id(frame)][1]
        fingerprints[table] = per_month
    return fingerprints


def observed_versions(instance, table: str, month_keys: list[str]) -> dict[str, str]:
    """Month key -> the latest data version observed for the table's files in that month."""
    # Newest first; versions are recorded only when they move, so 10,000 (Dagster's limit) reach far back.
    records = instance.fetch_observations(AssetRecordsFilter(asset_key=file_key(table), asset_partitions=month_keys), limit=10_000, ascending=False).records
    latest: dict[str, str] = {}
    for record in records:
        latest.setdefault(record.partition_key, record.event_log_entry.tags.get(DATA_VERSION_TAG))
    return latest


def new_observations(instance, fingerprints: Fingerprints, observed_before_only: bool = False) -> list[AssetObservation]:
    """An observation for every table and month whose fingerprint differs from the version observed last
    (``observed_before_only``: only for months with a version already, i.e. months some run has read)."""
    observations = []
    for table, by_month in fingerprints.items():
        seen = observed_versions(instance, table, list(by_month))
        observations += [
            AssetObservation(asset_key=file_key(table), partition=month, tags={DATA_VERSION_TAG: digest})
            for month, digest in sorted(by_month.items())
            if seen.get(month) != digest and (month in seen or not observed_before_only)
        ]
    return observations


def record_registry_versions(instance, registry: Registry, months: list[dt.date]) -> int:
    """Record the registry's versions for these months (before a run reads them); the number recorded."""
    observations = new_observations(instance, registry_fingerprints(registry, [partition_key(m) for m in months]))
    for observation in observations:
        instance.report_runless_asset_event(observation)
    return len(observations)


"""Notice a changed registry and re-materialise exactly the months and assets the change reaches.

Every registry table is fingerprinted per month as its asset would write it (``REGISTRY_TABLES``: the
curated table in force for the month, the accounts, labels, constants, waivers...); the fingerprints that
moved are also recorded as the data versions of ``registry_files/<table>`` (registry/observation.py), so the
UI marks those months unsynced until the requested runs have read them. The cursor keeps the
fingerprints of the last evaluation; a table whose fingerprint moved for a month changed for that month.
So a curated table published for month M changes M and the later months that carry it forward (until
the next published table), while accounts, labels and constants change every month.

Only months already materialised (for that registry table) are requested: a month computed later
reads the registry as it is then. Each month gets one run selecting the changed registry tables and
everything downstream of them in that month, plus the later months' assets that read it (delta ranks,
accumulated repositories). Runs are requested oldest month first; the run queue (one run at a time)
keeps that order, so a month's delta rank is computed after the month it compares with.
"""

import datetime as dt
import hashlib
import json

from dagster import AssetKey, AssetSelection, DefaultSensorStatus, RunRequest, SensorEvaluationContext, SensorResult, SkipReason, sensor

from osir_assets.automation.lineage import downstream_by_month
from osir_assets.errors import OsirInputError
from osir_assets.partitions import month_of, monthly_partitions
from osir_assets.registry.assets import REGISTRY_TABLES
from osir_assets.registry.observation import Fingerprints, new_observations, registry_fingerprints
from osir_assets.registry.resources import RegistryResource

def changed_months(previous: Fingerprints, current: Fingerprints) -> dict[str, set[str]]:
    """Registry table -> months whose rows differ. A month or table without a previous digest is new, not changed."""
    changed = {}
    for table, months in current.items():
        before = previous.get(table, {})
        moved = {m for m, digest in months.items() if m in before and before[m] != digest}
        if moved:
            changed[table] = moved
    return changed


def plan_registry_runs(asset_graph, changed: dict[str, set[str]], materialised: dict[str, set[str]], partition_keys: list[str]) -> dict[str, set[AssetKey]]:
    """Month -> assets to re-materialise, for changed registry months, restricted to materialised months."""
    seeds = {AssetKey(table): months & materialised.get(table, set()) for table, months in changed.items()}
    seeds = {asset: months for asset, months in seeds.items() if months}
    ever_materialised = set().union(*materialised.values()) if materialised else set()
    planned = downstream_by_month(asset_graph, seeds, partition_keys)
    return {month: assets for month, assets in planned.items() if month in ever_materialised}


def month_spans(month_keys: set[str]) -> str:
    """'2024-12, 2025-02..2025-06': consecutive months as one span."""
    spans: list[list[dt.date]] = []
    for month in sorted(month_of(k) for k in month_keys):
        if spans and _month_number(month) == _month_number(spans[-1][-1]) + 1:
            spans[-1].append(month)
        else:
            spans.append([month])
    return ", ".join(f"{s[0]:%Y-%m}" + (f"..{s[-1]:%Y-%m}" if len(s) > 1 else "") for s in spans)


def _month_number(month: dt.date) -> int:
    return month.year * 12 + month.month


def _registry_now(context: SensorEvaluationContext, registry: RegistryResource) -> tuple[Fingerprints, list]:
    """The registry's fingerprints for every month, and the data versions to record for the months runs have
    read (registry/observation.py). Raises OsirInputError when the registry cannot be read."""
    current = registry_fingerprints(registry.load(), monthly_partitions.get_partition_keys())
    return current, new_observations(context.instance, current, observed_before_only=True)


def build_registry_change_sensor(minimum_interval_seconds: int = 60):
    @sensor(
        name="registry_changes",
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=DefaultSensorStatus.STOPPED,
        target=AssetSelection.all(),
        description="Re-materialises the months and assets an edit of the registry (organisations, accounts, labels, constants, curated tables, waivers) changes.",
    )
    def registry_changes(context: SensorEvaluationContext, registry: RegistryResource):
        try:
            # The UI's staleness follows the files: months a run has read get the versions that moved.
            current, observed = _registry_now(context, registry)
        except OsirInputError as exc:
            # Keep the old cursor: once the file is fixed, the change is still noticed.
            return SkipReason(f"the registry cannot be read, nothing requested: {exc}")
        cursor = json.dumps(current, sort_keys=True, separators=(",", ":"))
        if not context.cursor:
            return SensorResult(skip_reason=SkipReason("first evaluation: recorded the registry's fingerprints; later edits are compared with them"), cursor=cursor, asset_events=observed)
        previous = json.loads(context.cursor)
        changed = changed_months(previous, current)
        if not changed:
            return SensorResult(skip_reason=SkipReason("the registry has not changed"), cursor=cursor, asset_events=observed)
        materialised = {table: context.instance.get_materialized_partitions(AssetKey(table)) for table in REGISTRY_TABLES}
        planned = plan_registry_runs(context.repository_def.asset_graph, changed, materialised, monthly_partitions.get_partition_keys())
        summary = "; ".join(f"{table}: {month_spans(months)}" for table, months in sorted(changed.items()))
        context.log.info(f"registry changed ({summary}); {len(planned)} materialised month(s) to re-run")
        if not planned:
            return SensorResult(skip_reason=SkipReason(f"registry changed ({summary}), but none of those months is materialised yet"), cursor=cursor, asset_events=observed)
        # The run key names this transition, so a change, its revert and the change again each run once.
        transition = hashlib.sha256((context.cursor + cursor).encode("utf-8")).hexdigest()[:12]
        requests = [
            RunRequest(
                run_key=f"registry-{month}-{transition}",
                partition_key=month,
                asset_selection=sorted(assets, key=lambda k: k.to_user_string()),
                tags={"osir/trigger": "registry_changes", "osir/registry_changes": summary[:200]},
            )
            for month, assets in planned.items()
        ]
        return SensorResult(run_requests=requests, cursor=cursor, asset_events=observed)

    return registry_changes


def build_registry_version_sensor(minimum_interval_seconds: int = 60):
    """Keeps the UI's staleness markers in step with the registry files, requesting nothing itself."""

    @sensor(
        name="registry_versions",
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=DefaultSensorStatus.RUNNING,
        description="Records the data versions of the registry files (registry_files/<table>) for the months runs have read, so an edit shows those months as unsynced; requests no run (registry_changes does).",
    )
    def registry_versions(context: SensorEvaluationContext, registry: RegistryResource):
        try:
            _, observed = _registry_now(context, registry)
        except OsirInputError as exc:
            return SkipReason(f"the registry cannot be read, nothing recorded: {exc}")
        if not observed:
            return SkipReason("the registry files are as the runs read them")
        months = month_spans({o.partition for o in observed})
        return SensorResult(asset_events=observed, skip_reason=SkipReason(f"recorded {len(observed)} new registry version(s) for {months}: those months are unsynced"))

    return registry_versions

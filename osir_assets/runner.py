"""Materialise months through the Dagster graph, in order, from Python (the CLI and tests use this)."""

import datetime as dt
from collections.abc import Callable, Iterable
from contextlib import nullcontext

from dagster import DagsterInstance, materialize

from osir_assets.definitions import all_assets
from osir_assets.lib.dagster_instance import open_instance, prune_superseded_runs, run_tags, wait_for_a_free_run_slot
from osir_assets.quality.expectations import warm_up
from osir_assets.registry.observation import record_registry_versions
from osir_assets.partitions import partition_key


# Dagster's console logger repeats every event; at a terminal the osir.progress lines say enough.
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


class MonthFailed(Exception):
    """A month's run failed; the message names the step and the reason."""


def _failure_message(result) -> str:
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            reason = error.cause.message if error and error.cause else (error.message if error else "unknown error")
            return f"step {event.step_key} failed: {' '.join(reason.split())}"
    return "run failed"


def contiguous_ranges(months: Iterable[dt.date]) -> list[list[dt.date]]:
    """Split months into runs of consecutive months."""
    ranges: list[list[dt.date]] = []
    for month in sorted(set(months)):
        previous = ranges[-1][-1] if ranges else None
        if previous and (previous.year * 12 + previous.month + 1) == (month.year * 12 + month.month):
            ranges[-1].append(month)
        else:
            ranges.append([month])
    return ranges


def materialize_months(
    months: Iterable[dt.date],
    resources: dict,
    instance: DagsterInstance | None = None,
    progress: Callable[[list[dt.date], float], None] | None = None,
    selection=None,
    assets: list | None = None,
    ephemeral: bool = False,
) -> None:
    """Run the graph over months, one run per range of consecutive months.

    Every asset has a single-run backfill policy, so a range is one run in which each asset processes its
    months oldest first; a month that reads last month therefore always sees it computed.

    The runs are recorded in ``instance``, by default the persistent instance of the database the resources
    write (lib/dagster_instance.py), where the UI and the sensors see them; each run first waits for a free
    slot in that instance's run queue, and runs these ones superseded entirely are deleted afterwards.
    ``ephemeral`` (the commands' ``--ephemeral``) records nothing. Before the runs, the registry's data versions
    for these months are recorded (registry/observation.py), so that the UI can tell when a later edit of
    the registry files makes a month stale.
    """
    quality = resources.get("quality")
    if quality is not None and getattr(quality, "enabled", False):
        warm_up()  # the audits' validator starts while Dagster does
    instance = instance or (DagsterInstance.ephemeral() if ephemeral else None)
    months = sorted(set(months))
    with nullcontext(instance) if instance else open_instance(resources["duckdb"].path) as recording:
        if not recording.is_ephemeral and "registry" in resources:  # each month records the registry version it read
            record_registry_versions(recording, resources["registry"].load(), months)
        for block in contiguous_ranges(months):
            wait_for_a_free_run_slot(recording)
            started = dt.datetime.now()
            tags = {"dagster/asset_partition_range_start": partition_key(block[0]), "dagster/asset_partition_range_end": partition_key(block[-1]), **run_tags()}
            result = materialize(
                assets or all_assets, selection=selection, tags=tags, resources=resources, instance=recording, raise_on_error=False, run_config=QUIET
            )
            if not result.success:
                span = f"{block[0]:%Y-%m}..{block[-1]:%Y-%m}" if len(block) > 1 else f"{block[0]:%Y-%m}"
                raise MonthFailed(f"{span}: {_failure_message(result)}")
            if progress:
                progress(block, (dt.datetime.now() - started).total_seconds())
        if not recording.is_ephemeral:
            prune_superseded_runs(recording)

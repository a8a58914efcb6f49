"""Materialise months through the Dagster graph, in order, from Python (the CLI and tests use this)."""

import datetime as dt
from collections.abc import Callable, Iterable

from dagster import DagsterInstance, materialize

from osir_assets.definitions import all_assets
from osir_assets.partitions import partition_key


class MonthFailed(Exception):
    """A month's run failed; the message names the step and the reason."""


def _failure_message(result) -> str:
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            reason = error.cause.message if error and error.cause else (error.message if error else "unknown error")
            return f"step {event.step_key} failed: {' '.join(reason.split())}"
    return "run failed"


def materialize_months(
    months: Iterable[dt.date],
    resources: dict,
    instance: DagsterInstance | None = None,
    progress: Callable[[dt.date, float], None] | None = None,
) -> None:
    """Run the whole graph for each month, oldest first (later months read earlier ones)."""
    instance = instance or DagsterInstance.ephemeral()
    for month in sorted(months):
        started = dt.datetime.now()
        result = materialize(all_assets, partition_key=partition_key(month), resources=resources, instance=instance, raise_on_error=False)
        if not result.success:
            raise MonthFailed(f"{month:%Y-%m}: {_failure_message(result)}")
        if progress:
            progress(month, (dt.datetime.now() - started).total_seconds())

"""Operating OSIR: the monthly schedule and the sensors, registered in ``osir_assets/definitions.py``.

* ``monthly_collection`` (schedule, off by default): on day ``OSIR_SCHEDULE_DAY`` (default 8) of every
  month, collect and score that month.
* ``registry_changes`` (off by default): re-materialise the months and assets a registry edit changes.
* ``registry_versions`` (on): record the registry files' data versions, so the UI marks an edit's months unsynced.
* ``score_when_sources_land`` (off by default): score a month once all its sources are materialised.
* ``report_failed_runs`` (on): log each failed run and append it to ``<db>.run-failures.jsonl``.

Runs they request go through the instance's run queue (``osir_assets/lib/dagster.yaml``: one run at a
time), because DuckDB has one writer.
"""

from pathlib import Path

from osir_assets.automation.failure_sensor import build_run_failure_reporter, failure_log_path
from osir_assets.automation.registry_sensor import build_registry_change_sensor, build_registry_version_sensor
from osir_assets.automation.schedule import build_monthly_schedule, osir_month_job
from osir_assets.automation.sources_sensor import build_score_when_sources_land_sensor


def build_schedules() -> list:
    return [build_monthly_schedule()]


def build_sensors(db_path: str | Path) -> list:
    """``db_path``: the DuckDB file; failed runs are written beside it."""
    return [build_registry_change_sensor(), build_registry_version_sensor(), build_score_when_sources_land_sensor(), build_run_failure_reporter(db_path)]


__all__ = ["build_schedules", "build_sensors", "failure_log_path", "osir_month_job"]

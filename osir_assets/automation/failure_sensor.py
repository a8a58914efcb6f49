"""Report every failed run: which months, which step failed and why, which checks did not pass.

Each failure is logged and appended as one JSON line to ``<db>.run-failures.jsonl`` beside the DuckDB
file (``data/osir.run-failures.jsonl`` by default). A file rather than a table: the sensor must never
wait for, or block, the run that holds the database. On by default: it only reads the run's events
and writes that file.
"""

import datetime as dt
import json
from pathlib import Path

from dagster import DagsterEventType, DefaultSensorStatus, RunFailureSensorContext, run_failure_sensor


def failure_log_path(db_path: str | Path) -> Path:
    db = Path(db_path)
    return db.with_name(f"{db.stem}.run-failures.jsonl")


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _error_text(error) -> str:
    # A step's own exception is the cause of Dagster's wrapper error; that is the part worth reading.
    if error is None:
        return "unknown error"
    return _one_line(error.cause.message if error.cause else error.message)


def _months(tags: dict) -> str:
    if "dagster/partition" in tags:
        return tags["dagster/partition"]
    start, end = tags.get("dagster/asset_partition_range_start"), tags.get("dagster/asset_partition_range_end")
    return f"{start}..{end}" if start else ""


def failure_record(context: RunFailureSensorContext) -> dict:
    run = context.dagster_run
    steps = [{"step": event.step_key, "error": _error_text(event.step_failure_data.error)} for event in context.get_step_failure_events()]
    evaluations = context.instance.all_logs(run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
    checks = [
        {"asset": e.asset_key.to_user_string(), "check": e.check_name, "severity": e.severity.value, "partition": e.partition, "description": _one_line(e.description)}
        for e in (entry.dagster_event.asset_check_evaluation_data for entry in evaluations)
        if not e.passed
    ]
    return {
        "failed_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "run_id": run.run_id,
        "job": run.job_name,
        "months": _months(dict(run.tags)),
        "trigger": run.tags.get("osir/trigger") or run.tags.get("dagster/sensor_name") or run.tags.get("dagster/schedule_name") or "manual",
        "failed_steps": steps,
        "failed_checks": checks,
        "message": _one_line(context.failure_event.message),
    }


def summary_line(record: dict) -> str:
    steps = "; ".join(f"step {s['step']}: {s['error']}" for s in record["failed_steps"]) or record["message"]
    checks = ", ".join(f"{c['asset']}:{c['check']}" for c in record["failed_checks"])
    return f"run {record['run_id'][:8]} ({record['job']}, months {record['months'] or '-'}) failed: {steps}" + (f"; failed checks: {checks}" if checks else "")


def build_run_failure_reporter(db_path: str | Path):
    log_path = failure_log_path(db_path)

    @run_failure_sensor(
        name="report_failed_runs",
        default_status=DefaultSensorStatus.RUNNING,
        description=f"Logs every failed run (months, failing step and error, failed checks) and appends it to {log_path}.",
    )
    def report_failed_runs(context: RunFailureSensorContext) -> None:
        record = failure_record(context)
        context.log.error(summary_line(record))
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    return report_failed_runs

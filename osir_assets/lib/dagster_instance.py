"""The persistent Dagster instance that records a database's runs, so the UI and the sensors see what the CLI made.

One instance per database, kept beside it (``<db dir>/dagster_home/``), or ``$DAGSTER_HOME`` when set: a
database and its run history travel together, and an installed wheel needs no checkout. A new instance gets
the configuration shipped in the package (``dagster.yaml`` here: a run queue of one, tick retention,
telemetry and the community dialog off); an existing one keeps whatever its folder holds.

DuckDB has one writer per file. An in-process run is recorded as started, so the UI's run queue holds its
own runs back while one is in progress; in the other direction ``wait_for_a_free_run_slot`` makes the CLI
wait while the instance's runs fill the queue's limit.

Retention: Dagster keeps every run's event log (about 1,000 events for a run of the sample) and its
configuration can only purge sensor and schedule ticks. ``prune_superseded_runs`` deletes the successful
runs of osir processes whose every materialisation and check result a newer run has recorded again, so
the history keeps each month's latest run, every failed run and every run launched from the UI.
"""

import logging
import os
import shutil
import socket
import time
from pathlib import Path

from osir_assets.lib.package_files import package_path

INSTANCE_CONFIG = package_path("lib", "dagster.yaml")
PID_TAG, HOST_TAG = "osir/pid", "osir/host"  # on runs made by an osir process, so an abandoned one can be told apart
POLL_SECONDS = 2.0

progress_log = logging.getLogger("osir.progress")


def instance_home(db: str) -> Path:
    """Where the database's runs are recorded: $DAGSTER_HOME, else the ``dagster_home`` folder beside the file."""
    configured = os.environ.get("DAGSTER_HOME")
    return Path(configured).resolve() if configured else Path(db).resolve().parent / "dagster_home"


def prepare_instance_home(db: str) -> Path:
    """The instance folder, created with the shipped configuration when it does not exist yet."""
    home = instance_home(db)
    home.mkdir(parents=True, exist_ok=True)
    if not any(home.iterdir()):  # a new instance; an existing one's configuration is its owner's
        shutil.copyfile(INSTANCE_CONFIG, home / "dagster.yaml")
    return home


def open_instance(db: str):
    """The persistent instance of the database (dispose it, or use it as a context manager).

    Its default SQLite storage is opened with one engine per file (lib/dagster_storage.py): the same files
    the UI reads, written at a fraction of Dagster's per-event cost.
    """
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    from osir_assets.lib.dagster_storage import with_reused_engines

    ref = InstanceRef.from_dir(str(prepare_instance_home(db)))
    return DagsterInstance.from_ref(ref._replace(storage_data=with_reused_engines(ref.storage_data)))


def run_tags() -> dict[str, str]:
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def _abandoned(run) -> bool:
    """A run of an osir process on this machine that ended without saying so (killed): it holds nothing."""
    pid, host = run.tags.get(PID_TAG), run.tags.get(HOST_TAG)
    if not pid or host != socket.gethostname() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's process
        return False
    return False


def _origin(run) -> str:
    if PID_TAG in run.tags:
        return f"osir process {run.tags[PID_TAG]}"
    return "the Dagster UI or its daemon"


def wait_for_a_free_run_slot(instance) -> None:
    """Return once this process may start a run: fewer runs in progress than the run queue allows.

    A run left 'started' by a killed osir process is marked failed on the way, so it never blocks anyone.
    """
    from dagster import DagsterRunStatus, RunsFilter

    if instance.is_ephemeral:
        return
    queue = instance.get_concurrency_config().run_queue_config
    limit = queue.max_concurrent_runs if queue else None
    if limit is None or limit < 1:  # no limit configured: DuckDBStore's lock wait is all there is
        return
    active = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]
    waiting_for = None
    while True:
        runs = instance.get_runs(RunsFilter(statuses=active))
        for run in [r for r in runs if _abandoned(r)]:
            instance.report_run_failed(run, f"its {_origin(run)} ended without finishing the run")
            runs.remove(run)
        if len(runs) < limit:
            if waiting_for:
                progress_log.warning("osir: run %s ended; starting", waiting_for[:8])
            return
        if waiting_for != runs[0].run_id:
            waiting_for = runs[0].run_id
            progress_log.warning(
                "osir: waiting for run %s (%s, job %s) to end: one run at a time writes the database", waiting_for[:8], _origin(runs[0]), runs[0].job_name
            )
        time.sleep(POLL_SECONDS)


def _recorded(instance, run_id: str) -> set[tuple]:
    """What a run recorded that the catalog shows: (asset, partition) materialisations and evaluated checks."""
    from dagster import DagsterEventType

    kinds = {DagsterEventType.ASSET_MATERIALIZATION, DagsterEventType.ASSET_CHECK_EVALUATION}
    recorded = set()
    for record in instance.get_records_for_run(run_id, of_type=kinds).records:
        event = record.event_log_entry.dagster_event
        if event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
            recorded.add(("materialisation", event.asset_key, event.partition))
        else:
            recorded.add(("check", event.event_specific_data.asset_check_key))
    return recorded


def prune_superseded_runs(instance) -> int:
    """Delete the successful osir runs that newer runs have superseded entirely; the number deleted."""
    from dagster import DagsterRunStatus, RunsFilter

    superseding: set[tuple] = set()
    deleted = 0
    for run in instance.get_runs(RunsFilter(statuses=[DagsterRunStatus.SUCCESS])):  # newest first
        recorded = _recorded(instance, run.run_id)
        if PID_TAG in run.tags and superseding and recorded <= superseding:
            instance.delete_run(run.run_id)
            deleted += 1
        superseding |= recorded
    return deleted

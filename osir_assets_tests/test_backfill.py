"""A seven-month backfill with the shipped instance configuration, while another process holds a read connection.

DuckDB locks the file per process: while the reader holds it, the run cannot open it for writing. The run
must wait for it (DuckDBStore retries with backoff) and then succeed: zero failed runs, every month ranked.
The reader lets go two seconds after the run has started waiting, so the wait is certain, not a race.
"""

import logging
import shutil
import subprocess
import sys
import threading
import time

import duckdb
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from osir_assets.cli import main
from osir_assets.lib.dagster_instance import INSTANCE_CONFIG
from osir_assets.synthetic import generate_archive

HELD_AFTER_THE_RUN_WAITS = 2.0

# A notebook's short query: open read-only, say so, keep the connection until told, say when it let go.
READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("SELECT count(*) FROM information_schema.tables").fetchone()
print("holding", flush=True)
sys.stdin.readline()
con.close()
print(time.time(), flush=True)
"""


class LockWaitSeen(logging.Handler):
    """Set when DuckDBStore says it is waiting for another process's lock."""

    def __init__(self):
        super().__init__()
        self.seen = threading.Event()

    def emit(self, record):
        if "locked by another process" in record.getMessage():
            self.seen.set()


def test_seven_month_backfill_waits_for_a_reader_and_never_fails(tmp_path, monkeypatch, record_property):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(INSTANCE_CONFIG, home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    instance = DagsterInstance.get()
    # The shipped configuration: a run queue that launches one run at a time.
    assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
    assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1

    archive = generate_archive(tmp_path / "archive", orgs=4, models_per_org=10, datasets_per_org=5, months=7, curated_from=1)
    db = tmp_path / "osir.duckdb"
    duckdb.connect(str(db)).close()  # the file exists, as it does once OSIR has run
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    lock_wait = LockWaitSeen()
    logging.getLogger("osir.progress").addHandler(lock_wait)

    def release_reader_once_the_run_waits():
        lock_wait.seen.wait(timeout=120)
        time.sleep(HELD_AFTER_THE_RUN_WAITS)
        reader.stdin.write("\n")
        reader.stdin.flush()

    releaser = threading.Thread(target=release_reader_once_the_run_waits, daemon=True)
    try:
        assert reader.stdout.readline().strip() == "holding"
        releaser.start()
        started = time.time()
        assert main(["backfill", "--from", "2024-11", "--to", "2025-05", "--db", str(db), "--archive", str(archive)]) == 0
        wall = time.time() - started
        released = float(reader.stdout.readline())
    finally:
        logging.getLogger("osir.progress").removeHandler(lock_wait)
        reader.kill()
        reader.wait()

    runs = instance.get_run_records(RunsFilter())
    assert [r.dagster_run.status for r in runs] == [DagsterRunStatus.SUCCESS], "one run for the range, and it succeeded"
    assert not instance.get_runs(RunsFilter(statuses=[DagsterRunStatus.FAILURE]))
    assert lock_wait.seen.is_set(), "the run met the reader's lock and waited for it"
    assert runs[0].end_time > released
    with duckdb.connect(str(db), read_only=True) as con:
        ranked = con.execute("SELECT count(DISTINCT month) FROM influence_scores WHERE view = 'monthly'").fetchone()[0]
    assert ranked == 6  # every month with curated tables, 2024-12 .. 2025-05
    record_property("backfill_wall_seconds", round(wall, 1))
    print(f"seven-month backfill: {wall:.1f}s wall, including about {HELD_AFTER_THE_RUN_WAITS:.0f}s waiting for the reader")
    instance.dispose()

"""What the command line materialises, the Dagster UI shows: `osir run` records into the database's instance.

One `osir run` of a sample copy (module fixture) into a temporary folder; the instance beside the database
is then read back through Dagster's instance API, through the webserver's GraphQL, and by the registry sensor.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from dagster import AssetCheckKey, AssetKey, DagsterInstance, DagsterRunStatus, RunsFilter, build_sensor_context
from dagster._core.test_utils import create_run_for_test
from dagster._utils.test.data_versions import get_stale_status_resolver

from osir_assets.cli import main
from osir_assets.definitions import all_assets, defs
from osir_assets.lib.dagster_instance import HOST_TAG, INSTANCE_CONFIG, PID_TAG, wait_for_a_free_run_slot
from osir_assets.partitions import monthly_partitions
from osir_assets.registry.resources import RegistryResource
from osir_assets.sample import sample_archive

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_MONTHS = {"2024-11-01", "2024-12-01", "2025-01-01"}  # the sample's three dated folders


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> Path:
    """A folder holding archive/ (a sample copy), osir.duckdb and the dagster_home/ that `osir run` made."""
    root = tmp_path_factory.mktemp("recorded")
    shutil.copytree(sample_archive(), root / "archive")
    with pytest.MonkeyPatch.context() as env:
        env.delenv("DAGSTER_HOME", raising=False)
        assert main(["run", "--archive", str(root / "archive"), "--db", str(root / "osir.duckdb")]) == 0
    return root


def test_osir_run_records_every_month_and_its_checks_in_the_instance_beside_the_database(recorded):
    home = recorded / "dagster_home"
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == INSTANCE_CONFIG.read_text(encoding="utf-8")
    with DagsterInstance.from_config(str(home)) as instance:
        assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1
        assert not instance.telemetry_enabled and not instance.nux_enabled  # no "Join the community" dialog

        [run] = instance.get_runs(RunsFilter())
        assert run.status == DagsterRunStatus.SUCCESS
        assert (run.tags["dagster/asset_partition_range_start"], run.tags["dagster/asset_partition_range_end"]) == ("2024-11-01", "2025-01-01")
        assert run.tags[PID_TAG] == str(os.getpid())

        assert instance.get_materialized_partitions(AssetKey("influence_scores")) == SAMPLE_MONTHS
        assert instance.get_materialized_partitions(AssetKey(["indicators", "infra", "num_operators"])) == SAMPLE_MONTHS
        latest = instance.get_latest_materialization_event(AssetKey("influence_scores"))
        assert latest.run_id == run.run_id and latest.asset_materialization.partition == "2025-01-01"

        check_keys = defs.resolve_asset_graph().asset_check_keys
        executions = instance.event_log_storage.get_latest_asset_check_execution_by_key(list(check_keys))
        assert {key for key, execution in executions.items() if execution and execution.run_id == run.run_id} == set(check_keys)
        for audited in (AssetKey("hf_model_repos"), AssetKey("org_universe"), AssetKey("normalised_indicators")):
            evaluation = executions[AssetCheckKey(audited, "audit")].event.dagster_event.event_specific_data
            assert evaluation.passed, audited
            assert sorted(evaluation.metadata["months_checked"].value) == ["2024-11-01", "2024-12-01", "2025-01-01"]


def test_a_cli_run_waits_for_a_run_in_progress_from_the_ui_and_the_queue_holds_the_ui_back(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    assert main(["instance", "--db", str(tmp_path / "osir.duckdb")]) == 0
    with DagsterInstance.get() as instance:
        ui_run = create_run_for_test(instance, job_name="osir_month", status=DagsterRunStatus.STARTED)  # launched from the UI: no osir tags
        waiting = ProgressMessage("waiting for run")
        exit_codes = []
        cli = threading.Thread(target=lambda: exit_codes.append(main(["backfill", "--from", "2024-11", "--to", "2024-11", "--db", str(tmp_path / "osir.duckdb")])))
        with waiting.listening():
            cli.start()
            assert waiting.seen.wait(timeout=120), "the CLI said it waits"
            assert [r.run_id for r in instance.get_runs(RunsFilter())] == [ui_run.run_id], "no CLI run started while the UI's is in progress"
            assert ui_run.run_id[:8] in waiting.text
            instance.report_run_canceled(ui_run)
            cli.join(timeout=600)
        assert exit_codes == [0]
        cli_run, ui_ended = instance.get_run_records(RunsFilter())[0], instance.get_run_record_by_id(ui_run.run_id)
        assert cli_run.dagster_run.status == DagsterRunStatus.SUCCESS and cli_run.dagster_run.run_id != ui_run.run_id
        assert cli_run.start_time >= ui_ended.end_time


def test_a_run_left_started_by_a_killed_osir_process_blocks_nothing(tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    with DagsterInstance.from_config(str(_new_home(tmp_path))) as instance:
        orphan = create_run_for_test(instance, job_name="__ASSET_JOB", status=DagsterRunStatus.STARTED,
                                     tags={PID_TAG: ended.stdout.strip(), HOST_TAG: socket.gethostname()})
        wait_for_a_free_run_slot(instance)  # returns at once instead of waiting forever
        assert instance.get_run_by_id(orphan.run_id).status == DagsterRunStatus.FAILURE


def test_runs_superseded_entirely_by_newer_osir_runs_are_deleted_and_nothing_else(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(_new_home(tmp_path)))
    with DagsterInstance.get() as instance:
        from_the_ui = create_run_for_test(instance, job_name="osir_month", status=DagsterRunStatus.SUCCESS)

        def backfill(month: str) -> str:
            assert main(["backfill", "--from", month, "--to", month, "--db", str(tmp_path / "osir.duckdb")]) == 0
            return instance.get_runs(RunsFilter(), limit=1)[0].run_id

        first_november = backfill("2024-11")
        second_november = backfill("2024-11")  # records again everything the first one did
        december = backfill("2024-12")  # another month: supersedes nothing
        assert [r.run_id for r in instance.get_runs(RunsFilter())] == [december, second_november, from_the_ui.run_id]
        assert instance.get_run_by_id(first_november) is None
        assert instance.get_materialized_partitions(AssetKey("influence_scores")) == {"2024-11-01", "2024-12-01"}


def test_the_webserver_on_that_instance_shows_the_months_and_the_run(recorded):
    port = _free_port()
    env = {**os.environ, "DAGSTER_HOME": str(recorded / "dagster_home"), "OSIR_DB": str(recorded / "osir.duckdb"), "OSIR_ARCHIVE": str(recorded / "archive")}
    log = (recorded / "webserver.log").open("w")
    webserver = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), "-w", str(REPO_ROOT / "workspace.yaml")],
        env=env, cwd=recorded, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_default_signals,
    )
    try:
        data = _graphql_once_loaded(webserver, port, recorded / "webserver.log", """{
            assetNodes(assetKeys: [{path: ["influence_scores"]}]) { partitionStats { numMaterialized numPartitions numFailed } }
            runsOrError { ... on Runs { results { status tags { key value } } } }
        }""")
    finally:
        os.killpg(webserver.pid, signal.SIGTERM)  # the webserver and its code server
        webserver.wait(timeout=60)
        log.close()
    [stats] = [node["partitionStats"] for node in data["assetNodes"]]
    assert stats == {"numMaterialized": 3, "numPartitions": len(monthly_partitions.get_partition_keys()), "numFailed": 0}
    [run] = data["runsOrError"]["results"]
    assert run["status"] == "SUCCESS"
    assert {"key": "dagster/asset_partition_range_end", "value": "2025-01-01"} in run["tags"]


def test_a_registry_edit_turns_exactly_its_months_stale_and_the_sensor_requests_exactly_them(recorded):
    infra = recorded / "archive" / "data" / "2024-12-14" / "infra-summary.csv"
    original = infra.read_text(encoding="utf-8")
    sensor = defs.get_repository_def().get_sensor_def("registry_changes")
    versions = defs.get_repository_def().get_sensor_def("registry_versions")  # on by default, requests nothing
    registry = RegistryResource(path=str(recorded / "archive"))
    with DagsterInstance.from_config(str(recorded / "dagster_home")) as instance:
        def tick(cursor):
            return sensor.evaluate_tick(build_sensor_context(instance=instance, cursor=cursor, definitions=defs, resources={"registry": registry}))

        def stale(asset: str) -> dict[str, str]:
            resolver = get_stale_status_resolver(instance, all_assets)
            return {month: resolver.get_status(AssetKey(asset), month).value for month in sorted(SAMPLE_MONTHS)}

        first = tick(None)
        assert not first.run_requests
        assert first.asset_events == []  # `osir run` recorded the registry versions its months read
        assert stale("curated_infra_indicators") == {"2024-11-01": "FRESH", "2024-12-01": "FRESH", "2025-01-01": "FRESH"}
        try:
            lines = original.splitlines()
            cells = lines[1].split(",")
            cells[1] = "97"
            infra.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
            observed = versions.evaluate_tick(build_sensor_context(instance=instance, definitions=defs, resources={"registry": registry}))
            edited = tick(first.cursor)
            assert edited.asset_events == observed.asset_events
            for observation in observed.asset_events:  # what the sensor daemon does with them
                instance.report_runless_asset_event(observation)
            # What the UI shows: December's curated table is unsynced, the other months and tables are not.
            assert stale("curated_infra_indicators") == {"2024-11-01": "FRESH", "2024-12-01": "STALE", "2025-01-01": "FRESH"}
            assert stale("registry_accounts") == {"2024-11-01": "FRESH", "2024-12-01": "FRESH", "2025-01-01": "FRESH"}
        finally:
            infra.write_text(original, encoding="utf-8")
    assert [(e.asset_key, e.partition) for e in edited.asset_events] == [(AssetKey(["registry_files", "curated_infra_indicators"]), "2024-12-01")]
    # December's curated table: December, and January's delta ranks; November is before it.
    assert [r.partition_key for r in edited.run_requests] == ["2024-12-01", "2025-01-01"]
    assert AssetKey("curated_infra_indicators") in edited.run_requests[0].asset_selection
    assert AssetKey("curated_infra_indicators") not in edited.run_requests[1].asset_selection


def test_ephemeral_records_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert main(["backfill", "--from", "2024-11", "--to", "2024-11", "--ephemeral", "--db", str(tmp_path / "osir.duckdb")]) == 0
    assert (tmp_path / "osir.duckdb").exists()
    assert not (tmp_path / "dagster_home").exists()


# ---- helpers -----------------------------------------------------------------------------------------


class ProgressMessage:
    """Notes the first osir.progress message containing a phrase."""

    def __init__(self, phrase: str):
        import logging

        self.phrase, self.seen, self.text = phrase, threading.Event(), ""
        self.handler = logging.Handler()
        self.handler.emit = self._emit
        self.logger = logging.getLogger("osir.progress")

    def _emit(self, record):
        if self.phrase in record.getMessage() and not self.seen.is_set():
            self.text = record.getMessage()
            self.seen.set()

    def listening(self):
        from contextlib import contextmanager

        @contextmanager
        def attached():
            self.logger.addHandler(self.handler)
            try:
                yield
            finally:
                self.logger.removeHandler(self.handler)

        return attached()


def _new_home(tmp_path: Path) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copyfile(INSTANCE_CONFIG, home / "dagster.yaml")
    return home


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _default_signals() -> None:
    # Started from a non-interactive shell, the child would inherit an ignored SIGINT/SIGTERM (STACK-NOTES).
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _graphql_once_loaded(webserver: subprocess.Popen, port: int, log: Path, query: str) -> dict:
    """The query's data, once the webserver answers and the code location is loaded (up to 4 minutes)."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if webserver.poll() is not None:
            pytest.fail(f"the webserver exited ({webserver.returncode}):\n{log.read_text()[-3000:]}")
        try:
            answer = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": query}, timeout=30).json()
            if answer.get("data", {}).get("assetNodes"):
                return answer["data"]
        except httpx.TransportError:
            pass
        time.sleep(1)
    pytest.fail(f"the webserver did not serve the code location in time:\n{log.read_text()[-3000:]}")

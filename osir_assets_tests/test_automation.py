"""The schedule and the sensors, evaluated through Dagster's testing APIs against a real (temporary) instance."""

import datetime as dt
import json

import pytest
from dagster import (
    AssetCheckResult,
    AssetKey,
    AssetMaterialization,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    asset,
    asset_check,
    build_run_status_sensor_context,
    build_schedule_context,
    build_sensor_context,
    instance_for_test,
    materialize,
)

from osir_assets.automation.failure_sensor import build_run_failure_reporter, failure_log_path
from osir_assets.automation.schedule import build_monthly_schedule
from osir_assets.definitions import build_resources, defs
from osir_assets.registry.assets import REGISTRY_TABLES
from osir_assets.registry.resources import RegistryResource
from osir_assets.runner import materialize_months
from osir_assets.sources.archive import validate_archive

repository = defs.get_repository_def()


def tick(sensor_name: str, instance, cursor: str | None = None, **resources):
    sensor = repository.get_sensor_def(sensor_name)
    context = build_sensor_context(instance=instance, cursor=cursor, definitions=defs, resources=resources or None)
    return sensor.evaluate_tick(context)


# ---- schedule ---------------------------------------------------------------------------------------


def test_monthly_schedule_requests_the_month_it_runs_in_and_is_off_by_default():
    schedule = repository.get_schedule_def("monthly_collection")
    assert schedule.default_status == DefaultScheduleStatus.STOPPED
    assert schedule.cron_schedule == "0 6 8 * *"
    assert schedule.job_name == "osir_month"
    with instance_for_test() as instance:
        context = build_schedule_context(instance=instance, repository_def=repository, scheduled_execution_time=dt.datetime(2025, 3, 8, 6, tzinfo=dt.timezone.utc))
        requests = schedule.evaluate_tick(context).run_requests
    assert [r.partition_key for r in requests] == ["2025-03-01"]


def test_schedule_day_is_configurable_and_checked(monkeypatch):
    monkeypatch.setenv("OSIR_SCHEDULE_DAY", "15")
    assert build_monthly_schedule().cron_schedule == "0 6 15 * *"
    monkeypatch.setenv("OSIR_SCHEDULE_DAY", "31")
    with pytest.raises(ValueError, match="1 to 28"):
        build_monthly_schedule()


def test_sensor_defaults():
    statuses = {s.name: s.default_status for s in repository.sensor_defs}
    assert statuses == {
        "registry_changes": DefaultSensorStatus.STOPPED,
        "registry_versions": DefaultSensorStatus.RUNNING,  # records data versions only, requests no run
        "score_when_sources_land": DefaultSensorStatus.STOPPED,
        "report_failed_runs": DefaultSensorStatus.RUNNING,  # harmless: reads events, appends to a file
    }


# ---- registry changes -------------------------------------------------------------------------------


def _edit_first_value(csv_path, new_value: str) -> None:
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[1] = new_value
    lines[1] = ",".join(cells)
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_registry_sensor_requests_only_the_months_and_assets_a_change_reaches(sample_copy, tmp_path):
    months = validate_archive(sample_copy)  # 2024-11 .. 2025-01; curated tables for 2024-12 and 2025-01
    registry = RegistryResource(path=str(sample_copy))
    with instance_for_test() as instance:
        # Registry tables are what the sensor looks at to know which months are materialised.
        materialize_months(months, build_resources(str(tmp_path / "osir.duckdb"), str(sample_copy)), instance=instance,
                           selection=[AssetKey(name) for name in REGISTRY_TABLES])

        first = tick("registry_changes", instance, registry=registry)
        assert not first.run_requests and first.cursor, "the first evaluation records fingerprints only"
        unchanged = tick("registry_changes", instance, first.cursor, registry=registry)
        assert not unchanged.run_requests

        # January's own curated table: January only (later months carry it forward but are not materialised).
        _edit_first_value(sample_copy / "data" / "2025-01-14" / "infra-summary.csv", "99")
        january = tick("registry_changes", instance, unchanged.cursor, registry=registry)
        assert [r.partition_key for r in january.run_requests] == ["2025-01-01"]
        selected = set(january.run_requests[0].asset_selection)
        assert {AssetKey("curated_infra_indicators"), AssetKey("org_universe"), AssetKey(["indicators", "infra", "num_operators"]),
                AssetKey("normalised_indicators"), AssetKey("influence_scores"), AssetKey("score_explanations")} <= selected
        assert not {AssetKey("curated_eval_indicators"), AssetKey("hf_model_repos"), AssetKey("merged_model_repos")} & selected

        # December's table: December, and January's delta ranks (they compare with December), nothing else of January.
        _edit_first_value(sample_copy / "data" / "2024-12-14" / "infra-summary.csv", "98")
        december = tick("registry_changes", instance, january.cursor, registry=registry)
        assert [r.partition_key for r in december.run_requests] == ["2024-12-01", "2025-01-01"]
        january_assets = set(december.run_requests[1].asset_selection)
        assert {AssetKey("dimension_rankings"), AssetKey("influence_scores")} <= january_assets
        assert not {AssetKey("curated_infra_indicators"), AssetKey("org_universe"), AssetKey("normalised_indicators")} & january_assets

        # Accounts reach every materialised month.
        links_path = sample_copy / "config" / "org-links.json"
        links = json.loads(links_path.read_text(encoding="utf-8"))
        links[next(iter(links))]["HuggingFace"].append("https://huggingface.co/another-account")
        links_path.write_text(json.dumps(links), encoding="utf-8")
        accounts = tick("registry_changes", instance, december.cursor, registry=registry)
        assert [r.partition_key for r in accounts.run_requests] == ["2024-11-01", "2024-12-01", "2025-01-01"]
        assert all(AssetKey("registry_accounts") in r.asset_selection for r in accounts.run_requests)
        assert len({r.run_key for r in accounts.run_requests}) == 3


# ---- scoring once the sources are in ----------------------------------------------------------------


def test_score_sensor_requests_a_month_whose_sources_are_all_newer_than_its_scores():
    graph = defs.resolve_asset_graph()
    sources = [k for k in graph.get_all_asset_keys() if graph.get(k).group_name == "sources"]
    with instance_for_test() as instance:
        def materialised(key, month):
            instance.report_runless_asset_event(AssetMaterialization(asset_key=key, partition=month))

        for key in sources:
            materialised(key, "2025-01-01")
        materialised(AssetKey("influence_scores"), "2025-01-01")  # January scored after its sources
        for key in sources:
            materialised(key, "2025-02-01")  # February's sources are in, not yet scored
        for key in sources[:-1]:
            materialised(key, "2025-03-01")  # March is missing one source
        result = tick("score_when_sources_land", instance)
    assert [r.partition_key for r in result.run_requests] == ["2025-02-01"]
    selection = set(result.run_requests[0].asset_selection)
    assert AssetKey("influence_scores") in selection and AssetKey("registry_accounts") in selection
    assert not set(sources) & selection


# ---- failed runs ------------------------------------------------------------------------------------


@asset
def counted_repositories():
    return 3


@asset_check(asset=counted_repositories, blocking=True)
def repositories_are_counted():
    return AssetCheckResult(passed=False, description="no repository counted")


@asset
def curated_table():
    raise ValueError("curated table has no rows for 2025-01")


def test_a_failed_run_is_logged_with_its_step_and_failed_check(tmp_path):
    reporter = build_run_failure_reporter(tmp_path / "osir.duckdb")
    with instance_for_test() as instance:
        result = materialize([counted_repositories, repositories_are_counted, curated_table], instance=instance, raise_on_error=False,
                             tags={"dagster/partition": "2025-01-01"})
        assert not result.success
        context = build_run_status_sensor_context(
            sensor_name="report_failed_runs", dagster_event=result.get_run_failure_event(), dagster_instance=instance, dagster_run=result.dagster_run
        ).for_run_failure()
        reporter(context)
    lines = failure_log_path(tmp_path / "osir.duckdb").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and failure_log_path(tmp_path / "osir.duckdb").name == "osir.run-failures.jsonl"
    record = json.loads(lines[0])
    assert record["run_id"] == result.run_id and record["months"] == "2025-01-01"
    assert {"step": "curated_table", "error": "ValueError: curated table has no rows for 2025-01"} in record["failed_steps"]
    assert [c["check"] for c in record["failed_checks"]] == ["repositories_are_counted"]

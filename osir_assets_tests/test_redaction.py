"""A token where it really can leak: in a URL (a query parameter, a gateway path), echoed back by a server.

Tokens normally travel in headers, where nothing prints them; these tests put the token where the redactor is the
only thing between it and a log line, an exception, the raw snapshot, a repr or the Dagster metadata, and check
both that the token is absent and that its masked form is there (so the test fails when the redactor does nothing).
"""

from __future__ import annotations

import gzip
import json
import logging

import pytest
from dagster import AssetKey, AssetSelection, DagsterInstance

from osir_assets.definitions import build_resources
from osir_assets.runner import MonthFailed, materialize_months
from osir_assets.sources.live import GitHubCollector, HuggingFaceCollector, ModelScopeCollector
from osir_assets.sources.live.http import CollectionError, HttpPolicy, PlatformSession, metadata_from_stats, pack_raw_responses
from osir_assets.sources.resources import PlatformSources, current_month
from osir_assets_tests.fakes import FakeResponse, FakeServer, HubData, ModelScopeData, hf_model, hub_handler, modelscope_handler, ms_model
from osir_assets_tests.test_collect import write_registry

TOKEN = "tok_RedactMe_5f3a9c1e7d"
FAST_POLICY = HttpPolicy(max_retries=1, backoff_seconds=0.01, max_backoff_seconds=0.02, timeout_seconds=2, requests_per_window=100_000, window_seconds=1)
FAST = {"backoff_seconds": 0.01, "max_backoff_seconds": 0.05, "timeout_seconds": 2, "requests_per_window": 100_000, "window_seconds": 1, "max_retries": 1}


def ok(request):
    return FakeResponse(200, {"items": [1, 2]})


def test_a_token_in_a_url_is_masked_in_errors_logs_and_the_raw_snapshot(caplog):
    with FakeServer(ok) as server, caplog.at_level(logging.DEBUG):
        server.inject("status", "access_token", times=1, status=503)  # one retry, logged with the path
        server.inject("status", "/v1/", times=-1, status=500)  # a gateway with the key in its path, down for good
        session = PlatformSession("Fake", FAST_POLICY, secrets=[TOKEN])
        with session.httpx_client(server.url) as client:
            assert client.get(f"/api/models?author=alpha&access_token={TOKEN}").status_code == 200
            with pytest.raises(CollectionError) as failure:
                client.get(f"/v1/{TOKEN}/datasets?page=2")
    assert server.count(TOKEN) == 4  # the token did travel (1 + 1 retry, and the gateway's 2 attempts)...
    raw = gzip.decompress(pack_raw_responses(session.raw_responses)).decode()
    # ...and shows nowhere but masked.
    assert json.loads(raw)["path"] == "/api/models?author=alpha&access_token=%2A%2A%2A"
    assert "GET /api/models?author=alpha&access_token=%2A%2A%2A -> HTTP 503; retry 1/1" in caplog.text
    assert str(failure.value).startswith("Fake: GET /v1/***/datasets?page=2 failed")
    leaks = [text for text in (raw, caplog.text, str(failure.value), repr(failure.value), json.dumps(metadata_from_stats(session.stats()))) if TOKEN in text]
    assert leaks == []


def test_a_token_echoed_by_the_server_stays_out_of_the_error(monkeypatch):
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_DISABLE_TELEMETRY", True)
    hub = hub_handler(HubData(models={"alpha": [hf_model("alpha/a-7b", downloads=500)]}))

    def echoing(request):  # a proxy that rejects the key and quotes it back
        if request.arg("author") == "beta":
            return FakeResponse(401, {"error": f"Invalid credentials: token {TOKEN} is not allowed to list beta"})
        return hub(request)

    collector = HuggingFaceCollector(token=TOKEN, community=False, **FAST)
    with FakeServer(echoing) as server:
        import polars as pl

        accounts = pl.DataFrame({"org": ["A", "B"], "platform": ["HuggingFace"] * 2, "account": ["alpha", "beta"]})
        with pytest.raises(CollectionError) as failure:
            collector.model_copy(update={"endpoint": server.url}).collect(accounts, "model", current_month())
    assert "Invalid credentials: token *** is not allowed to list beta" in str(failure.value)
    assert TOKEN not in str(failure.value) and TOKEN not in repr(failure.value)


def test_reprs_of_collectors_sessions_and_clients_hold_no_token():
    collectors = [HuggingFaceCollector(token=TOKEN), ModelScopeCollector(token=TOKEN), GitHubCollector(token=TOKEN)]
    assert [c.token for c in collectors] == [TOKEN] * 3  # configured...
    session = PlatformSession("Fake", FAST_POLICY, secrets=[TOKEN])
    client = session.httpx_client("http://127.0.0.1:9", {"Authorization": f"Bearer {TOKEN}"})
    shown = [repr(c) for c in collectors] + [str(c) for c in collectors] + [repr(PlatformSources(mode="live", huggingface=collectors[0]))]
    shown += [repr(session), repr(client), repr(client._transport)]
    assert [text for text in shown if TOKEN in text] == []  # ...and never shown
    client.close()


def test_dagster_metadata_raw_files_and_run_logs_hold_no_token(tmp_path, caplog):
    """A ModelScope gateway whose URL carries the key (http://host/gw/<key>), collected through a Dagster run."""
    month = current_month()
    inner = modelscope_handler(ModelScopeData(models={"AlphaMS": [ms_model("AlphaMS", "alpha-7b")]}))

    def gateway(request):
        request.path = request.path.removeprefix(f"/gw/{TOKEN}")
        return inner(request)

    registry, db = write_registry(tmp_path / "registry"), tmp_path / "data" / "osir.duckdb"
    instance = DagsterInstance.ephemeral()
    with FakeServer(gateway) as server, caplog.at_level(logging.DEBUG):
        server.inject("status", "/api/v1/models", times=1, status=503)
        resources = build_resources(str(db), registry=str(registry), mode="live")
        resources["platform_sources"] = PlatformSources(
            mode="live", registry_path=str(registry), raw_dir=str(db.parent / "raw"),
            modelscope=ModelScopeCollector(endpoint=f"{server.url}/gw/{TOKEN}", token=TOKEN, **FAST))
        materialize_months([month], resources, instance=instance, selection=AssetSelection.assets("modelscope_model_repos"))
        assert server.count(f"/gw/{TOKEN}/api/v1/models") == 2
        event = instance.get_latest_materialization_event(AssetKey("modelscope_model_repos"))
        metadata = {k: v.value for k, v in event.asset_materialization.metadata.items()}
        origin = metadata["origin"][month.isoformat()]
        raw = gzip.decompress((db.parent / "raw" / f"{month:%Y-%m}" / "ModelScope-model.jsonl.gz").read_bytes()).decode()
        run_logs = [str(entry) for run in instance.get_runs() for entry in instance.all_logs(run.run_id)]

        # A run that fails: the error travels through Dagster's failure event and MonthFailed.
        server.inject("status", "/api/v1/models", times=-1, status=502)
        with pytest.raises(MonthFailed) as failure:
            materialize_months([month], resources, instance=instance, selection=AssetSelection.assets("modelscope_model_repos"))
        failed_logs = [str(entry) for run in instance.get_runs() for entry in instance.all_logs(run.run_id)]

    assert origin["origin"] == f"live: {server.url}/gw/***" and origin["retries"] == 1
    assert json.loads(raw.splitlines()[0])["path"] == "/gw/***/api/v1/models/"
    assert "PUT /gw/***/api/v1/models/ -> HTTP 503; retry 1/1" in caplog.text
    assert "PUT /gw/***/api/v1/models/" in str(failure.value)
    everything = [json.dumps(metadata, default=str), raw, caplog.text, str(failure.value), *run_logs, *failed_logs]
    assert [text for text in everything if TOKEN in text] == []

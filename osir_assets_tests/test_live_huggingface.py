"""Hugging Face collector against the fake Hub: complete snapshots despite faults, clean failures, no leaked token."""

from __future__ import annotations

import datetime as dt
import json
import logging

from dagster import EnvVar, MaterializeResult, asset, materialize
import polars as pl
import pytest

from osir_assets.sources.live import CollectionError, HuggingFaceCollector, metadata_from_stats
from osir_assets.sources.schema import SNAPSHOT_SCHEMA
from osir_assets_tests.fakes import FakeServer, HubData, RateLimit, hf_dataset, hf_model, hub_handler

TOKEN = "hf_TestTokenThatMustNotLeak123"
SNAPSHOT = dt.date(2025, 2, 14)


@pytest.fixture(autouse=True)
def no_hub_telemetry(monkeypatch):
    # With telemetry on, huggingface_hub fetches an "agent harness" list from the public Hub once per process.
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_DISABLE_TELEMETRY", True)


def accounts(*names: str) -> pl.DataFrame:
    return pl.DataFrame({"org": ["Org"] * len(names), "platform": ["HuggingFace"] * len(names), "account": list(names), "url": [""] * len(names)})


def hub() -> HubData:
    return HubData(
        models={
            "BAAI": [hf_model(f"BAAI/model-{i}", downloads=10 * i) for i in range(5)],
            "internlm": [hf_model("internlm/internlm3-8b", downloads=999, childrenModelCount=7)],
        },
        datasets={"BAAI": [hf_dataset("BAAI/Infinity-Instruct"), hf_dataset("BAAI/CCI3-Data")]},
        discussions={"model:BAAI/model-1": 4, "dataset:BAAI/CCI3-Data": 2},
        closed_discussions={"model:BAAI/model-1": 6},
        discussions_disabled={"model:BAAI/model-3"},
        trained_on={"BAAI/Infinity-Instruct": ["x/a", "y/b", "z/c"]},
        page_size=2,
    )


def collector(server: FakeServer, **options) -> HuggingFaceCollector:
    settings = {"endpoint": server.url, "token": TOKEN, "backoff_seconds": 0.01, "max_backoff_seconds": 0.05, "timeout_seconds": 0.5, "requests_per_window": 100_000, "window_seconds": 1}
    return HuggingFaceCollector(**{**settings, **options})


def test_models_snapshot_is_complete_and_in_listing_order():
    with FakeServer(hub_handler(hub())) as server:
        frame, stats = collector(server).collect(accounts("BAAI", "internlm", "nobody-here"), "model", SNAPSHOT)
    assert frame.schema == pl.Schema(SNAPSHOT_SCHEMA)
    assert frame["name"].to_list() == ["model-0", "model-1", "model-2", "model-3", "model-4", "internlm3-8b"]
    assert frame["record_no"].to_list() == [1, 2, 3, 4, 5, 6]
    first = frame.row(5, named=True)
    assert (first["account"], first["platform"], first["kind"], first["org"]) == ("internlm", "HuggingFace", "model", None)
    assert (first["downloads_last_month"], first["total_downloads"], first["descendants"]) == (999, 5000, 7)
    assert first["link"] == "https://huggingface.co/internlm/internlm3-8b"
    assert frame["community"].to_list() == [0, 4, 0, None, 0, 0]  # open discussions; disabled = null
    details = json.loads(first["details"])
    assert details["parameters"] == 7_000_000_000 and details["architectures"] == ["LlamaForCausalLM"]
    assert details["pipeline_tag"] == "text-generation" and details["license"] == "apache-2.0"
    assert details["siblings"] == ["config.json", "model.safetensors"] and "widget" not in details["card_data"]
    # 3 pages for BAAI (page size 2), 1 for internlm, 1 for the empty account, 6 discussions, and the
    # 3 scorecard requests for the one model past 50 downloads (internlm3-8b)
    assert (stats["requests"], stats["repos"], stats["accounts"]) == (14, 6, 3)
    assert len(stats["raw_responses"]) == 14


def test_one_listing_request_per_page_carries_the_expand_fields():
    with FakeServer(hub_handler(hub())) as server:
        collector(server, community=False, card_extras=False).collect(accounts("internlm"), "model", SNAPSHOT)
    (listing,) = server.requests
    assert listing.target.startswith("/api/models?") and "author=internlm" in listing.target
    for field in ("safetensors", "childrenModelCount", "downloadsAllTime", "transformersInfo", "config", "cardData"):
        assert f"expand={field}" in listing.target


def test_datasets_with_usage_and_all_discussions():
    with FakeServer(hub_handler(hub())) as server:
        frame, _ = collector(server, community_status="all").collect(accounts("BAAI"), "dataset", SNAPSHOT)
    assert frame.select("name", "dataset_usage", "community", "total_downloads", "downloads_last_month").rows() == [
        ("Infinity-Instruct", 3, 0, 900, 40),
        ("CCI3-Data", 0, 2, 900, 40),
    ]
    assert frame["link"][0] == "https://huggingface.co/datasets/BAAI/Infinity-Instruct"
    assert json.loads(frame["details"][0])["task_categories"] == ["text-generation"]


def test_transient_faults_still_give_the_complete_snapshot():
    with FakeServer(hub_handler(hub())) as server:
        server.inject("status", "author=BAAI", status=429, retry_after="0")
        server.inject("status", "cursor=2", times=2, status=500)
        server.inject("truncate", "cursor=4")
        server.inject("malformed", "author=internlm")
        server.inject("drop", "model-2/discussions")
        server.inject("slow", "model-4/discussions", delay=1.0)
        server.inject("status", "internlm3-8b/discussions", status=503)
        frame, stats = collector(server).collect(accounts("BAAI", "internlm"), "model", SNAPSHOT)
    # Every repository of hub(), in listing order, with the figures the fake serves: none lost, none doubled.
    columns = ("record_no", "account", "name", "downloads_last_month", "total_downloads", "likes", "community", "descendants")
    assert frame.select(columns).rows() == [
        (1, "BAAI", "model-0", 0, 5000, 3, 0, 2),
        (2, "BAAI", "model-1", 10, 5000, 3, 4, 2),  # 4 open discussions (the 6 closed ones are not counted)
        (3, "BAAI", "model-2", 20, 5000, 3, 0, 2),  # its discussions page dropped the connection once
        (4, "BAAI", "model-3", 30, 5000, 3, None, 2),  # discussions disabled
        (5, "BAAI", "model-4", 40, 5000, 3, 0, 2),
        (6, "internlm", "internlm3-8b", 999, 5000, 3, 0, 7),  # its listing came back malformed once
    ]
    assert [json.loads(d)["parameters"] for d in frame["details"]] == [7_000_000_000] * 6
    assert stats["retries"] == 8 and stats["failures"] == 0 and stats["throttled"] == 1


def test_a_fault_outlasting_the_retries_fails_clearly_and_returns_nothing(caplog):
    with FakeServer(hub_handler(hub())) as server:
        server.inject("status", "cursor=2", times=-1, status=503)
        with caplog.at_level(logging.DEBUG), pytest.raises(CollectionError) as failure:
            collector(server, max_retries=2).collect(accounts("BAAI", "internlm"), "model", SNAPSHOT)
    message = str(failure.value)
    assert message.startswith("HuggingFace: GET /api/models?") and "cursor=2" in message
    assert "after 3 attempts (last status 503" in message
    assert TOKEN not in message and TOKEN not in caplog.text


def test_persistent_timeouts_fail_with_no_status():
    with FakeServer(hub_handler(hub())) as server:
        server.inject("slow", "author=internlm", times=-1, delay=0.8)
        with pytest.raises(CollectionError, match=r"no response: ReadTimeout"):
            collector(server, max_retries=1, timeout_seconds=0.2).collect(accounts("internlm"), "model", SNAPSHOT)


def test_token_is_sent_but_never_logged_or_reported(caplog):
    with FakeServer(hub_handler(hub())) as server:
        server.inject("status", "author=BAAI", times=2, status=500)
        resource = collector(server)
        with caplog.at_level(logging.DEBUG):
            frame, stats = resource.collect(accounts("BAAI"), "model", SNAPSHOT, progress=lambda p: logging.getLogger("test").info(str(p)))
    assert all(r.headers.get("authorization") == f"Bearer {TOKEN}" for r in server.requests)
    assert "retry 1/5" in caplog.text  # retries were logged...
    assert TOKEN not in caplog.text  # ...without the token
    assert TOKEN not in json.dumps(metadata_from_stats(stats), default=str)
    assert TOKEN not in repr(resource) and TOKEN not in str(resource)
    assert all(TOKEN.encode() not in raw.body and TOKEN not in raw.path for raw in stats["raw_responses"])


def test_progress_reports_accounts_and_repos():
    reports = []
    with FakeServer(hub_handler(hub())) as server:
        collector(server).collect(accounts("BAAI", "internlm"), "model", SNAPSHOT, progress=reports.append)
    listing = [r for r in reports if r.phase == "listing"]
    assert [r.accounts_done for r in listing] == [1, 2] and listing[-1].repos_seen == 6
    assert str(reports[-1]).startswith("HuggingFace models [done]: 2/2 accounts, 6 repos, 13 requests")  # 10 + 3 scorecard requests


def test_rate_limited_hub_is_paced_by_its_policy_header_without_429():
    # No ceiling configured: the collector assumes HF's documented limit until the Hub announces its own
    # ("30 per second") in RateLimit-Policy, then keeps just under that.
    many = HubData(models={"BAAI": [hf_model(f"BAAI/m{i}") for i in range(60)]}, page_size=100)
    limit = RateLimit(limit=30, window_seconds=1.0)
    with FakeServer(hub_handler(many), rate_limit=limit) as server:
        frame, stats = collector(server, requests_per_window=None, token=None, max_concurrency=4).collect(accounts("BAAI"), "model", SNAPSHOT)
    assert frame.height == 60 and stats["allowed_requests_per_second"] == 30
    assert limit.rejected <= 1 and stats["failures"] == 0  # at most the first burst before the policy is known


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="models and datasets"):
        HuggingFaceCollector().collect(accounts("BAAI"), "space", SNAPSHOT)


@asset
def hf_models(context, hub: HuggingFaceCollector) -> MaterializeResult:  # context unannotated: this module uses postponed annotations
    frame, stats = hub.collect(accounts("internlm"), "model", SNAPSHOT, progress=lambda p: context.log.info(str(p)))
    return MaterializeResult(metadata={"rows": frame.height, **metadata_from_stats(stats)})


def test_resource_in_a_dagster_asset_with_env_configuration(monkeypatch):
    with FakeServer(hub_handler(hub())) as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        monkeypatch.setenv("HF_TOKEN", TOKEN)
        resource = HuggingFaceCollector(endpoint=EnvVar("HF_ENDPOINT"), token=EnvVar("HF_TOKEN"), requests_per_window=100_000, window_seconds=1)
        result = materialize([hf_models], resources={"hub": resource})
    assert result.success
    metadata = result.asset_materializations_for_node("hf_models")[0].metadata
    assert metadata["rows"].value == 1 and metadata["requests"].value == 5  # listing, open discussions, 3 scorecard requests
    assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in str(metadata)

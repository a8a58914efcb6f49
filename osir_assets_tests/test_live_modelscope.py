"""ModelScope, OpenDataLab and BAAI Data collectors against their fakes."""

from __future__ import annotations

import datetime as dt
import json
import logging

import polars as pl
import pytest

from osir_assets.sources.live import BaaiDataCollector, CollectionError, ModelScopeCollector, OpenDataLabCollector, metadata_from_stats
from osir_assets.sources.schema import SNAPSHOT_SCHEMA
from osir_assets_tests.fakes import (
    FakeServer,
    ModelScopeData,
    baai_dataset,
    baai_handler,
    modelscope_handler,
    ms_dataset,
    ms_model,
    odl_dataset,
    opendatalab_handler,
)
from osir_assets_tests.fakes.fixtures import serve  # noqa: F401 (a pytest fixture)

SNAPSHOT = dt.date(2025, 2, 14)
TOKEN = "ms-token-never-to-be-seen-42"
FAST = {"backoff_seconds": 0.01, "max_backoff_seconds": 0.05, "timeout_seconds": 0.5}


def accounts(platform: str, rows: list[tuple[str, str]]) -> pl.DataFrame:
    return pl.DataFrame({"org": [o for o, _ in rows], "platform": [platform] * len(rows), "account": [a for _, a in rows], "url": [""] * len(rows)})


def ms_data() -> ModelScopeData:
    return ModelScopeData(
        models={"BAAI": [ms_model("BAAI", f"m{i}", Downloads=100 + i) for i in range(5)], "ZhipuAI": [ms_model("ZhipuAI", "glm-4-9b", Stars=40)]},
        datasets={"ZhipuAI": [ms_dataset("ZhipuAI", "VisionRewardDB-Video", downloads=3), ms_dataset("ZhipuAI", "LongBench", downloads=77)]},
        unknown={"ghost"},
    )


MS_ACCOUNTS = accounts("ModelScope", [("BAAI", "BAAI"), ("Zhipu", "ZhipuAI"), ("Zhipu", "ghost"), ("BAAI", "BAAI")])


def test_modelscope_models_paged_complete_and_ordered():
    with FakeServer(modelscope_handler(ms_data())) as server:
        frame, stats = ModelScopeCollector(endpoint=server.url, token=TOKEN, page_size=2, **FAST).collect(MS_ACCOUNTS, "model", SNAPSHOT)
    assert frame.schema == pl.Schema(SNAPSHOT_SCHEMA)
    assert frame.select("record_no", "account", "name").rows()[:2] == [(1, "BAAI", "m0"), (2, "BAAI", "m1")]
    assert frame.height == 6 and frame["name"][-1] == "glm-4-9b"
    last = frame.row(5, named=True)
    assert (last["total_downloads"], last["likes"], last["downloads_last_month"], last["platform"]) == (364, 40, None, "ModelScope")
    assert last["link"] == "https://modelscope.cn/models/ZhipuAI/glm-4-9b"
    assert json.loads(last["details"])["pipeline_tag"] == "text-generation"
    assert stats["missing_accounts"] == ["ghost"]  # reported, not fatal
    puts = [r for r in server.requests if r.method == "PUT"]
    assert len(puts) == 3 + 1 + 1  # the duplicated BAAI account is read once
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in puts)


def test_modelscope_datasets_through_the_openapi():
    with FakeServer(modelscope_handler(ms_data())) as server:
        frame, _ = ModelScopeCollector(endpoint=server.url, page_size=1, **FAST).collect(MS_ACCOUNTS, "dataset", SNAPSHOT)
    assert frame.select("account", "name", "total_downloads").rows() == [("ZhipuAI", "VisionRewardDB-Video", 3), ("ZhipuAI", "LongBench", 77)]
    assert frame["link"][1] == "https://modelscope.cn/datasets/ZhipuAI/LongBench"


def test_modelscope_survives_faults(caplog):
    with FakeServer(modelscope_handler(ms_data())) as server:
        server.inject("status", "BAAI", times=3, status=502)
        server.inject("truncate", "ZhipuAI")
        server.inject("status", "PUT", status=429, retry_after="0")
        with caplog.at_level(logging.WARNING):
            frame, stats = ModelScopeCollector(endpoint=server.url, token=TOKEN, page_size=2, **FAST).collect(MS_ACCOUNTS, "model", SNAPSHOT)
    assert frame.height == 6 and stats["retries"] == 5
    assert TOKEN not in caplog.text and TOKEN not in json.dumps(metadata_from_stats(stats))


def test_modelscope_envelope_error_fails_the_collection():
    def broken(request):
        from osir_assets_tests.fakes import FakeResponse

        return FakeResponse(200, {"Code": 10010101, "Message": "system busy", "Success": False})

    with FakeServer(broken) as server, pytest.raises(CollectionError, match="ModelScope: PUT /api/v1/models/ failed.*system busy"):
        ModelScopeCollector(endpoint=server.url, **FAST).collect(MS_ACCOUNTS, "model", SNAPSHOT)


def test_modelscope_persistent_failure_names_the_path():
    with FakeServer(modelscope_handler(ms_data())) as server:
        server.inject("status", "/openapi/v1/datasets", times=-1, status=500)
        with pytest.raises(CollectionError) as failure:
            ModelScopeCollector(endpoint=server.url, token=TOKEN, max_retries=1, **FAST).collect(MS_ACCOUNTS, "dataset", SNAPSHOT)
    assert str(failure.value).startswith("ModelScope: GET /openapi/v1/datasets?author=")
    assert "last status 500" in str(failure.value) and TOKEN not in str(failure.value)


# ------------------------------------------------------------------------------------------ OpenDataLab


def test_opendatalab_rounded_counts_owner_namespace_and_org(serve):
    creators = {
        "12199": [odl_dataset("OpenDriveLab", "OpenLane", "12199", downloads="10.3k"), odl_dataset("OpenDriveLab", "AgiBot-World", "12199", downloads=932)],
        "11828": [odl_dataset("OpenMMLab", "HMDB51-skeleton", "11828", downloads=0, likeCount="1.2k")],
        "99": [],
    }
    rows = accounts("OpenDataLab", [("ShanghaiAILab", "12199"), ("ShanghaiAILab", "11828"), ("ShanghaiAILab", "99")])
    server = serve(opendatalab_handler(creators))
    server.inject("malformed", "createdBy=11828")
    frame, stats = OpenDataLabCollector(endpoint=server.url, page_size=1, **FAST).collect(rows, "dataset", SNAPSHOT)
    assert frame.select("account", "name", "org", "total_downloads", "likes").rows() == [
        ("OpenDriveLab", "OpenLane", "ShanghaiAILab", 10300, 4),
        ("OpenDriveLab", "AgiBot-World", "ShanghaiAILab", 932, 4),
        ("OpenMMLab", "HMDB51-skeleton", "ShanghaiAILab", 0, 1200),
    ]
    assert frame["link"][0] == "https://opendatalab.com/OpenDriveLab/OpenLane"
    assert json.loads(frame["details"][0])["created_by"] == "12199"
    assert stats["retries"] == 1 and stats["repos"] == 3


def test_opendatalab_collects_datasets_only():
    with pytest.raises(ValueError):
        OpenDataLabCollector().collect(accounts("OpenDataLab", [("X", "1")]), "model", SNAPSHOT)


# ------------------------------------------------------------------------------------------ BAAI Data


def test_baai_data_catalogue_paged_under_the_org(serve):
    catalogue = [baai_dataset("Objects365_2020", 78631), baai_dataset("WuDaoCorporaText", "1.4w"), baai_dataset("BAAI-CCI2", 4969)]
    rows = accounts("BAAIData", [("BAAI", "dataset")])
    server = serve(baai_handler(catalogue))
    server.inject("drop", "getAllDataset")
    frame, stats = BaaiDataCollector(endpoint=server.url, page_size=2, **FAST).collect(rows, "dataset", SNAPSHOT)
    assert frame.select("record_no", "account", "org", "name", "total_downloads", "likes").rows() == [
        (1, "BAAI", "BAAI", "Objects365_2020", 78631, None),
        (2, "BAAI", "BAAI", "WuDaoCorporaText", 14000, None),
        (3, "BAAI", "BAAI", "BAAI-CCI2", 4969, None),
    ]
    assert frame["link"][0] == "https://data.baai.ac.cn/datadetail/Objects365_2020"
    assert json.loads(frame["details"][0])["subscriptions"] == 5
    assert stats["requests"] == 3 and stats["retries"] == 1
    assert [json.loads(r.body)["data"]["total"] for r in stats["raw_responses"]] == [3, 3]


def test_empty_registry_gives_an_empty_snapshot():
    frame, stats = BaaiDataCollector(endpoint="http://127.0.0.1:9").collect(accounts("BAAIData", []), "dataset", SNAPSHOT)
    assert frame.is_empty() and frame.schema == pl.Schema(SNAPSHOT_SCHEMA) and stats["requests"] == 0

"""Live mode end to end, against the fake platforms: the current month is collected, labelled, kept raw and scored;
other months are refused at once; a platform that stays down publishes nothing; no token shows anywhere."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
from pathlib import Path

import duckdb
import polars as pl
import pytest
from dagster import AssetKey, AssetSelection, DagsterInstance

from osir_assets.cli import main
from osir_assets.definitions import build_resources
from osir_assets.runner import MonthFailed, materialize_months
from osir_assets.scoring.profile import ScoringProfile
from osir_assets.sources.live import BaaiDataCollector, GitHubCollector, HuggingFaceCollector, ModelScopeCollector, OpenDataLabCollector
from osir_assets.sources.resources import PlatformSources, current_month
from osir_assets_tests.conftest import month_hash
from osir_assets_tests.fakes import (
    FakeRepo,
    FakeServer,
    HubData,
    ModelScopeData,
    RateLimit,
    baai_dataset,
    baai_handler,
    gh_commit,
    github_handler,
    hf_dataset,
    hf_model,
    hub_handler,
    modelscope_handler,
    ms_model,
    odl_dataset,
    opendatalab_handler,
)

TOKENS = {"HF_TOKEN": "hf_LiveTokenNeverShown0001", "GITHUB_TOKEN": "ghp_LiveTokenNeverShown0002", "MODELSCOPE_TOKEN": "ms-LiveTokenNeverShown0003"}
MONTH = current_month()
LAST_MONTH = (MONTH - dt.timedelta(days=1)).replace(day=1)
FAST = {"backoff_seconds": 0.01, "max_backoff_seconds": 0.05, "timeout_seconds": 2, "requests_per_window": 100_000, "window_seconds": 1}

REGISTRY = """
constants:
  operators: {default: 0}
  num_adapted_chips: {default: 1}
organisations:
  Alpha Lab:
    huggingface: [alpha]
    modelscope: [AlphaMS]
    github:
      model: [alpha-lab/alpha-lm]
      infra: [alpha-lab/trainer]
    constants: {num_adapted_chips: 2}
  Beta AI:
    huggingface: [beta]
    opendatalab: ["4242"]
    github:
      infra: [beta-ai/engine]
      eval: [beta-ai/bench]
  Gamma Institute:
    huggingface: [gamma]
    baai_data: [dataset]
"""


def write_registry(root: Path) -> Path:
    (root / "curated" / "2025-01").mkdir(parents=True)
    (root / "labels").mkdir()
    (root / "organisations.yaml").write_text(REGISTRY)
    (root / "curated" / "2025-01" / "infra.csv").write_text("org,num_operators,support_lifecycle\nAlpha Lab,10,2\nBeta AI,5,4\nGamma Institute,0,1\n")
    (root / "curated" / "2025-01" / "eval.csv").write_text("org,num_leaderboards\nAlpha Lab,3\nBeta AI,1\nGamma Institute,0\n")
    # An explicit label wins over the rules (which would say Language for this text-generation model).
    (root / "labels" / "models.csv").write_text("label_key,modality,is_large_model\nalpha/alpha-vision,Vision,true\n")
    return root


def in_month(day: int, hour: int = 6) -> str:
    return f"{MONTH:%Y-%m}-{day:02d}T{hour:02d}:00:00Z"


def platforms() -> dict:
    no_signals = {"pipeline_tag": None, "library_name": None, "tags": ["region:us"], "config": None, "transformersInfo": None, "safetensors": None}
    hub = HubData(
        models={
            "alpha": [hf_model("alpha/alpha-7b", downloads=500), hf_model("alpha/alpha-vision", downloads=300), hf_model("alpha/alpha-mystery", **no_signals)],
            "beta": [
                hf_model("beta/beta-embed", downloads=1000, pipeline_tag="sentence-similarity", library_name="sentence-transformers"),
                hf_model("beta/beta-bert", pipeline_tag="fill-mask", config={"architectures": ["BertForMaskedLM"], "model_type": "bert"}),
            ],
            "gamma": [hf_model("gamma/gamma-tiny", downloads=10)],  # under the download threshold
        },
        datasets={"alpha": [hf_dataset("alpha/alpha-sft")], "gamma": [hf_dataset("gamma/gamma-bench")]},
        discussions={"model:alpha/alpha-7b": 4},
    )
    modelscope = ModelScopeData(models={"AlphaMS": [ms_model("AlphaMS", "alpha-7b", Libraries=["transformers"])]})
    people = [gh_commit(in_month(1), "ann"), gh_commit(in_month(1, 7), "bo"), gh_commit(in_month(1, 8), "cy"), gh_commit(in_month(1, 9), "dependabot[bot]", account_type="Bot")]
    github = {
        "alpha-lab/alpha-lm": FakeRepo(commits=people),
        "alpha-lab/trainer": FakeRepo(commits=people[:2]),
        "beta-ai/engine": FakeRepo(commits=people[2:]),
        "beta-ai/bench": FakeRepo(),
    }
    return {
        "huggingface": FakeServer(hub_handler(hub)),
        "modelscope": FakeServer(modelscope_handler(modelscope)),
        "opendatalab": FakeServer(opendatalab_handler({"4242": [odl_dataset("beta", "beta-driving", "4242")]})),
        "baai_data": FakeServer(baai_handler([baai_dataset("gamma-corpus")])),
        "github": FakeServer(github_handler(github)),
    }


def live_sources(servers: dict, db: Path, registry: Path, **options) -> PlatformSources:
    return PlatformSources(
        mode="live",
        registry_path=str(registry),
        raw_dir=str(db.parent / "raw"),
        huggingface=HuggingFaceCollector(endpoint=servers["huggingface"].url, token=TOKENS["HF_TOKEN"], **FAST, **options),
        modelscope=ModelScopeCollector(endpoint=servers["modelscope"].url, token=TOKENS["MODELSCOPE_TOKEN"], **FAST, **options),
        opendatalab=OpenDataLabCollector(endpoint=servers["opendatalab"].url, **FAST, **options),
        baai_data=BaaiDataCollector(endpoint=servers["baai_data"].url, **FAST, **options),
        github=GitHubCollector(endpoint=servers["github"].url, token=TOKENS["GITHUB_TOKEN"], **{**FAST, "window_seconds": 3600}, **options),
    )


def live_resources(servers: dict, db: Path, registry: Path, scoring: ScoringProfile | None = None, **options) -> dict:
    resources = build_resources(str(db), registry=str(registry), scoring=scoring, mode="live")
    resources["platform_sources"] = live_sources(servers, db, registry, **options)
    return resources


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The fakes, a registry and a database in which the current month has been collected and scored once."""
    root = tmp_path_factory.mktemp("live")
    registry, db = write_registry(root / "registry"), root / "data" / "osir.duckdb"
    servers = {name: server.start() for name, server in platforms().items()}
    instance = DagsterInstance.ephemeral()
    with pytest.MonkeyPatch.context() as patch:
        # With telemetry on, huggingface_hub fetches an "agent harness" list from the public Hub once per process.
        patch.setattr("huggingface_hub.constants.HF_HUB_DISABLE_TELEMETRY", True)
        materialize_months([MONTH], live_resources(servers, db, registry), instance=instance)
        yield {"db": db, "registry": registry, "servers": servers, "instance": instance}
    for server in servers.values():
        server.stop()


def query(db: Path, sql: str, **params) -> pl.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, {k: v for k, v in {"m": MONTH, **params}.items() if f"${k}" in sql}).pl()


def origin(instance: DagsterInstance, asset: str) -> dict:
    event = instance.get_latest_materialization_event(AssetKey(asset))
    return event.asset_materialization.metadata["origin"].value[MONTH.isoformat()]


def test_current_month_is_collected_labelled_and_scored(world):
    db = world["db"]
    models = query(db, "SELECT name, snapshot_date FROM hf_model_repos WHERE month = $m ORDER BY record_no")
    assert models["name"].to_list() == ["alpha-7b", "alpha-vision", "alpha-mystery", "beta-embed", "beta-bert", "gamma-tiny"]
    assert models["snapshot_date"].unique().to_list() == [dt.datetime.now(dt.timezone.utc).date()]
    # Rules label the new repositories; the explicit registry label wins; both reach the month's label table.
    labels = dict(query(db, "SELECT label_key, modality || ':' || is_large_model FROM registry_model_labels WHERE month = $m").rows())
    assert labels["alpha/alpha-7b"] == "Language:true" and labels["beta/beta-embed"] == "Vector:true"
    assert labels["alpha/alpha-vision"] == "Vision:true" and labels["beta/beta-bert"] == "Language:false"
    counted = query(db, "SELECT name, org, modality FROM merged_model_repos WHERE month = $m ORDER BY name")
    assert counted.rows() == [("alpha-7b", "Alpha Lab", "Language"), ("alpha-vision", "Alpha Lab", "Vision"), ("beta-embed", "Beta AI", "Vector")]
    datasets = query(db, "SELECT name, lifecycle FROM merged_dataset_repos WHERE month = $m ORDER BY name")
    assert datasets.rows() == [("alpha-sft", "Fine-tuning"), ("gamma-bench", "Evaluation")]
    # What the rules cannot label is counted and listed, not dropped silently.
    hf = origin(world["instance"], "hf_model_repos")
    assert hf["unlabelled_count"] == 1 and hf["unlabelled"] == ["alpha/alpha-mystery"]
    assert hf["labelled_explicitly"] == 1 and hf["labelled_by_rules"] == 4
    assert hf["requests"] > 0 and hf["retries"] == 0 and hf["repos"] == 6 and hf["seconds"] >= 0
    assert origin(world["instance"], "opendatalab_dataset_repos")["unlabelled"] == ["beta/beta-driving"]  # no lifecycle signal
    # The month is ranked.
    ranking = query(db, "SELECT org, rank FROM influence_scores WHERE month = $m AND view = 'monthly' ORDER BY org_position")
    assert ranking["org"].to_list() == ["Alpha Lab", "Beta AI", "Gamma Institute"] and ranking["rank"].min() == 1


def test_every_response_is_kept_raw_per_month(world):
    month_dir = world["db"].parent / "raw" / f"{MONTH:%Y-%m}"
    names = sorted(p.name for p in month_dir.iterdir())
    assert [n for n in names if n.endswith(".jsonl.gz")] == [
        "BAAIData-dataset.jsonl.gz", "GitHub-repo.jsonl.gz", "HuggingFace-dataset.jsonl.gz", "HuggingFace-model.jsonl.gz",
        "ModelScope-dataset.jsonl.gz", "ModelScope-model.jsonl.gz", "OpenDataLab-dataset.jsonl.gz",
    ]  # fmt: skip
    records = [json.loads(line) for line in gzip.decompress((month_dir / "HuggingFace-model.jsonl.gz").read_bytes()).splitlines()]
    assert len(records) == origin(world["instance"], "hf_model_repos")["requests"]
    listing = next(r for r in records if r["path"].startswith("/api/models?") and "author=beta" in r["path"])
    assert [m["id"] for m in json.loads(listing["body"])] == ["beta/beta-embed", "beta/beta-bert"]
    derived = pl.read_csv(month_dir / "HuggingFace-model.labels.csv")
    assert derived.filter(pl.col("needs_review"))["label_key"].to_list() == ["alpha/alpha-mystery"]
    assert "alpha/alpha-vision" not in derived["label_key"].to_list()  # explicitly labelled: the registry has it


def test_github_activity_and_optional_contributor_indicators(world):
    db, registry = world["db"], world["registry"]
    github = query(db, "SELECT repo, purpose, active_contributors FROM github_repos WHERE month = $m ORDER BY repo")
    assert github.rows() == [("alpha-lab/alpha-lm", "model", 3), ("alpha-lab/trainer", "infra", 2), ("beta-ai/bench", "eval", 0), ("beta-ai/engine", "infra", 1)]
    values = query(db, "SELECT dimension, org, value FROM indicator_values WHERE month = $m AND view = 'monthly' AND indicator = 'active_contributors' ORDER BY ALL")
    assert values.rows() == [("infra", "Alpha Lab", 2.0), ("infra", "Beta AI", 1.0), ("infra", "Gamma Institute", 0.0),
                             ("model", "Alpha Lab", 3.0), ("model", "Beta AI", 0.0), ("model", "Gamma Institute", 0.0)]  # fmt: skip
    scored = "SELECT count(*) AS n FROM normalised_indicators WHERE month = $m AND indicator = 'active_contributors'"
    assert query(db, scored)["n"][0] == 0  # off in the published profile
    scores = AssetSelection.groups("scores")
    enabled = ScoringProfile(optional_indicators=["model/active_contributors", "infra/active_contributors"])
    materialize_months([MONTH], live_resources(world["servers"], db, registry, scoring=enabled), selection=scores)
    assert query(db, scored)["n"][0] == 12  # 2 indicators x 3 organisations x 2 views
    materialize_months([MONTH], live_resources(world["servers"], db, registry), selection=scores)
    assert query(db, scored)["n"][0] == 0


def test_no_token_in_logs_metadata_raw_files_or_errors(world, caplog):
    servers = world["servers"]
    assert servers["huggingface"].requests[0].headers["authorization"] == f"Bearer {TOKENS['HF_TOKEN']}"
    assert servers["modelscope"].requests[0].headers["authorization"] == f"Bearer {TOKENS['MODELSCOPE_TOKEN']}"
    assert TOKENS["GITHUB_TOKEN"] in servers["github"].requests[0].headers["authorization"]
    instance = DagsterInstance.ephemeral()
    servers["huggingface"].inject("status", "/api/datasets?author=gamma", times=-1, status=500)
    try:
        with caplog.at_level(logging.DEBUG), pytest.raises(MonthFailed) as failure:
            sources = AssetSelection.groups("sources")
            materialize_months([MONTH], live_resources(servers, world["db"], world["registry"], max_retries=1), instance=instance, selection=sources)
    finally:
        servers["huggingface"].faults.clear()
    assert "retry 1/1" in caplog.text  # retries were logged...
    everything = [str(failure.value), caplog.text]
    for records in (world["instance"], instance):
        everything += [str(entry) for run in records.get_runs() for entry in records.all_logs(run.run_id)]
    everything += [p.read_bytes().decode("utf-8", "replace") for p in (world["db"].parent / "raw").rglob("*.csv")]
    everything += [gzip.decompress(p.read_bytes()).decode() for p in (world["db"].parent / "raw").rglob("*.gz")]
    for token in TOKENS.values():
        assert not [text for text in everything if token in text]  # ...and nothing anywhere holds a token


def test_a_fault_outlasting_the_retries_publishes_nothing(world):
    db, servers = world["db"], world["servers"]
    tables = ["hf_model_repos", "registry_model_labels", "stg_model_repos", "merged_model_repos", "indicator_values", "dimension_scores", "influence_scores"]
    before = {t: month_hash(db, t, MONTH) for t in tables}
    raw = (db.parent / "raw" / f"{MONTH:%Y-%m}" / "HuggingFace-model.jsonl.gz").read_bytes()
    servers["huggingface"].inject("status", "/api/models?author=beta", times=-1, status=503)
    platform_and_everything_after_it = AssetSelection.assets("hf_model_repos").downstream()
    try:
        with pytest.raises(MonthFailed, match=r"hf_model_repos.*HuggingFace: GET /api/models\?.*author=beta.*after 3 attempts \(last status 503"):
            materialize_months([MONTH], live_resources(servers, db, world["registry"], max_retries=2), selection=platform_and_everything_after_it)
    finally:
        servers["huggingface"].faults.clear()
    assert {t: month_hash(db, t, MONTH) for t in tables} == before  # the month's previous rows stay, scores included
    assert (db.parent / "raw" / f"{MONTH:%Y-%m}" / "HuggingFace-model.jsonl.gz").read_bytes() == raw


def test_another_month_in_live_mode_fails_at_once(world):
    db, servers = world["db"], world["servers"]
    sent = {name: len(server.requests) for name, server in servers.items()}
    with pytest.raises(MonthFailed, match=r"live mode collects the current month .* not " + f"{LAST_MONTH:%Y-%m}" + r".*Import an archive .*osir reproduce.*osir run --archive"):
        materialize_months([LAST_MONTH], live_resources(servers, db, world["registry"]), selection=AssetSelection.groups("sources", "registry"))
    assert {name: len(server.requests) for name, server in servers.items()} == sent  # no platform was asked
    assert query(db, "SELECT count(*) AS n FROM hf_model_repos WHERE month = $last", last=LAST_MONTH)["n"][0] == 0
    # nor is the registry written into the past month, even when the registry alone is asked for: a past month
    # keeps the registry it was scored with
    with pytest.raises(MonthFailed, match=r"step (registry|curated)_\w+ failed: .*live mode collects the current month .* not " + f"{LAST_MONTH:%Y-%m}"):
        materialize_months([LAST_MONTH], live_resources(servers, db, world["registry"]), selection=AssetSelection.groups("registry"))
    assert query(db, "SELECT count(*) AS n FROM registry_accounts WHERE month = $last", last=LAST_MONTH)["n"][0] == 0
    with pytest.raises(Exception, match="Import an archive"):
        PlatformSources(mode="live").collect_snapshot(LAST_MONTH, "HuggingFace", "model")


def test_osir_collect_command_collects_then_scores_and_rank_shows_it(tmp_path, monkeypatch, capsys):
    registry, db = write_registry(tmp_path / "registry"), tmp_path / "data" / "osir.duckdb"
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_DISABLE_TELEMETRY", True)
    servers = platforms()
    servers["huggingface"].rate_limit = RateLimit(limit=10_000, window_seconds=1)  # announces its limit: no pacing to HF's default
    environment = {"HF_ENDPOINT": "huggingface", "MODELSCOPE_ENDPOINT": "modelscope", "OPENDATALAB_ENDPOINT": "opendatalab",
                   "BAAI_DATA_ENDPOINT": "baai_data", "GITHUB_API_URL": "github"}  # fmt: skip
    for server in servers.values():
        server.start()
    try:
        for variable, name in environment.items():
            monkeypatch.setenv(variable, servers[name].url)
        for variable, token in TOKENS.items():
            monkeypatch.setenv(variable, token)
        monkeypatch.setenv("OSIR_REGISTRY", str(registry))

        assert main(["collect", "--platform", "github", "--db", str(db)]) == 0
        first = capsys.readouterr().err
        assert f"{MONTH:%Y-%m} is not scored yet: still to collect huggingface, modelscope, opendatalab, baai_data" in first
        assert servers["huggingface"].requests == [] and servers["github"].requests

        assert main(["collect", "--db", str(db)]) == 0
        second = capsys.readouterr().err
        assert "HuggingFace models [done]" in second and f"{MONTH:%Y-%m} ranks 3 organisations" in second
        assert all(token not in first + second for token in TOKENS.values())
        assert servers["huggingface"].requests[0].headers["authorization"] == f"Bearer {TOKENS['HF_TOKEN']}"
    finally:
        for server in servers.values():
            server.stop()

    assert main(["rank", "--db", str(db)]) == 0
    shown = capsys.readouterr().out
    assert f"OSIR overall ranking, {MONTH:%Y-%m} (monthly)" in shown and "Alpha Lab" in shown


def test_an_archive_may_carry_github_figures(sample_copy):
    folder = sample_copy / "data" / "2025-01-14" / "GitHub"
    folder.mkdir()
    rows = [{"org": "Sample Org 1", "repo": "org1/trainer", "purpose": "infra", "stars": 10, "active_contributors": 4},
            {"org": "Sample Org 2", "repo": "org2/lm", "purpose": "model", "active_contributors": 2, "date_crawl": "2025-01-13"}]  # fmt: skip
    (folder / "raw-repos-info.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    archive = PlatformSources(archive_root=str(sample_copy))
    frame, where = archive.github_snapshot(dt.date(2025, 1, 1))
    assert frame.select("snapshot_date", "repo", "purpose", "stars", "active_contributors").rows() == [
        (dt.date(2025, 1, 14), "org1/trainer", "infra", 10, 4), (dt.date(2025, 1, 13), "org2/lm", "model", None, 2)
    ]  # fmt: skip
    assert where["origin"].endswith("GitHub/raw-repos-info.jsonl")
    assert archive.github_snapshot(dt.date(2024, 12, 1))[0].is_empty()  # no file that month: no GitHub rows
    (folder / "raw-repos-info.jsonl").write_text(json.dumps({**rows[0], "purpose": "tools"}) + "\n")
    with pytest.raises(Exception, match=r"raw-repos-info.jsonl:1: purpose 'tools' is not one of model, infra, eval"):
        archive.github_snapshot(dt.date(2025, 1, 1))


def test_the_500m_rule_for_language_models_is_an_option_off_by_default():
    assert PlatformSources()._rules()["large_model"]["min_language_parameters"] is None  # as published
    assert PlatformSources(min_language_model_parameters=500_000_000)._rules()["large_model"]["min_language_parameters"] == 500_000_000

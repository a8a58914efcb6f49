"""Model scorecards end to end: a live collection from the fake Hub, the scorecard assets, the `osir scorecard(s)` commands.

Expected points are worked out by hand from the README's formulas; each test names the factors behind them.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import duckdb
import polars as pl
import pytest
from dagster import AssetSelection

from osir_assets.cli import main
from osir_assets.definitions import build_resources
from osir_assets.lib.duckdb_store import replace_month_from_frame
from osir_assets.runner import materialize_months
from osir_assets.scorecards.lookalikes import find_lookalikes
from osir_assets.sources.schema import conform
from osir_assets.sources.live import HuggingFaceCollector
from osir_assets_tests.fakes import FakeServer, HubData, hf_model, hf_scan, hub_handler

TOKEN = "hf_ScorecardTokenNeverShown42"
MONTH = dt.date(2025, 2, 1)
SCORECARD_ASSETS = ["hf_model_cards", "modelscope_model_cards", "model_cards", "scorecard_profile", "model_lookalikes", "model_scorecard_points", "model_scorecard_factors", "model_scorecards", "org_model_trust"]
REGISTERED = {"acme": "Acme AI", "meta-llama": "Meta", "metallama": "Meta"}  # Meta's second account is one edit from its first
PICKLE_ONLY = [{"rfilename": "config.json"}, {"rfilename": "pytorch_model.bin"}]
PICKLE_TAGS = ["transformers", "pytorch", "text-generation", "license:apache-2.0"]


def hub() -> HubData:
    return HubData(
        models={
            "acme": [
                hf_model("acme/safe-7b", downloads=5000),
                hf_model("acme/pickle-7b", downloads=5000, siblings=PICKLE_ONLY, tags=PICKLE_TAGS),
                hf_model("acme/dangerous-7b", downloads=5000, siblings=PICKLE_ONLY, tags=PICKLE_TAGS),
                hf_model("acme/unlicensed-7b", downloads=5000, cardData={"language": ["en"]}, tags=["transformers", "safetensors", "text-generation"]),
                hf_model("acme/unscanned-7b", downloads=5000),
                hf_model("acme/quiet-7b", downloads=10),  # below the download threshold: no per-model requests
            ],
            "meta-llama": [hf_model("meta-llama/Llama-3.1-8B", downloads=1_000_000)],
            "metallama": [hf_model("metallama/Llama-3.1-8B", downloads=20)],
            "meta-IIama": [hf_model("meta-IIama/Llama-3.1-8B", downloads=20)],  # not registered: never collected
        },
        scans={
            **{m: {"model.safetensors": hf_scan()} for m in ("acme/safe-7b", "acme/unlicensed-7b", "meta-llama/Llama-3.1-8B", "metallama/Llama-3.1-8B", "meta-IIama/Llama-3.1-8B")},
            "acme/pickle-7b": {"pytorch_model.bin": hf_scan()},
            "acme/dangerous-7b": {"pytorch_model.bin": hf_scan(dangerous=("os.system",))},
        },
        page_size=100,
    )


@pytest.fixture(autouse=True)
def no_hub_telemetry(monkeypatch):
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_DISABLE_TELEMETRY", True)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A month collected live from the fake Hub for the registered accounts, then scored by the scorecard assets."""
    db = tmp_path_factory.mktemp("scorecards") / "osir.duckdb"
    server = FakeServer(hub_handler(hub())).start()
    collector = HuggingFaceCollector(endpoint=server.url, token=TOKEN, requests_per_window=100_000, window_seconds=1)
    accounts = pl.DataFrame({"org": list(REGISTERED.values()), "platform": ["HuggingFace"] * 3, "account": list(REGISTERED)})
    frame, stats = collector.collect(accounts, "model", dt.date(2025, 2, 14))
    with duckdb.connect(str(db)) as con:
        replace_month_from_frame(con, "hf_model_repos", MONTH, frame)
        replace_month_from_frame(con, "registry_accounts", MONTH, accounts)
        # ModelScope: a mirror of an HF model and a model of its own (no ModelScope account is registered here);
        # the ranking's staging derived the latter's monthly downloads, the leaderboard names it an official provider's.
        replace_month_from_frame(con, "modelscope_model_repos", MONTH, conform(pl.DataFrame({
            "platform": ["ModelScope"] * 2, "kind": ["model"] * 2, "account": ["acme"] * 2, "name": ["safe-7b", "ms-only-7b"], "record_no": [0, 1],
            "total_downloads": [9000, 4000], "likes": [3, 7], "community": [0, 0],
            "details": [None, json.dumps({"license": "apache-2.0", "library_name": "transformers", "tags": ["arxiv:2401.00001"],
                                          "created_at": "2024-06-01T00:00:00", "last_modified": "2025-01-20T00:00:00"})],
        })))
        replace_month_from_frame(con, "stg_model_repos", MONTH, pl.DataFrame({"platform": ["ModelScope"], "account": ["acme"], "name": ["ms-only-7b"], "downloads_last_month": [1200]}))
        replace_month_from_frame(con, "leaderboard_models", MONTH, pl.DataFrame({"model": ["acme/ms-only-7b", "acme/safe-7b"], "official_provider": [True, False]}))
    materialize_months([MONTH], build_resources(str(db)), selection=AssetSelection.assets(*SCORECARD_ASSETS))
    yield {"db": db, "server": server, "stats": stats}
    server.stop()


def card(world, model: str) -> dict:
    with duckdb.connect(str(world["db"]), read_only=True) as con:
        row = con.execute("SELECT * FROM model_scorecards WHERE month = $m AND model = $model", {"m": MONTH, "model": model}).pl()
        factors = con.execute("SELECT factor, value, points FROM model_scorecard_factors WHERE month = $m AND model = $model", {"m": MONTH, "model": model}).fetchall()
    assert row.height == 1, f"{model}: {row.height} cards"
    return row.to_dicts()[0] | {"factors": {f: (v, p) for f, v, p in factors}}


def test_collection_asks_three_more_requests_per_model_past_the_threshold(world):
    # one listing page per account (3), one open-discussions count per model (8), and the three scorecard
    # requests (discussions, pull requests, file tree) for the 6 models with at least 50 downloads (not quiet-7b, 10,
    # nor metallama's copy, 20)
    assert world["stats"]["requests"] == 3 + 8 + 3 * 6
    paths = [r.target for r in world["server"].requests]
    assert not any("quiet-7b/tree" in p or "quiet-7b/discussions" in p and "pull_request" in p for p in paths)


def test_pickle_only_model_scores_lower_on_security_than_with_safetensors(world):
    safe, pickled = card(world, "acme/safe-7b"), card(world, "acme/pickle-7b")
    # safe: example code 10, safetensors 10, unsafe files 10, file scan 10, typosquat 10
    assert safe["security"] == pytest.approx(10.0)
    # pickle only: example code 10, safetensors 0, unsafe files 5 (a pickle file), file scan 10 (innocuous imports), typosquat 10
    assert pickled["security"] == pytest.approx(35 / 5)
    assert pickled["factors"]["unsafe_files"] == ("pytorch_model.bin", 5.0)
    assert "unsafe_files" in pickled["flags"] and "unsafe_files" not in safe["flags"]


def test_a_dangerous_pickle_import_is_a_hard_flag(world):
    dangerous = card(world, "acme/dangerous-7b")
    assert dangerous["flags"] == ["unsafe_files", "dangerous_pickle"]
    assert dangerous["security"] == 0.0  # whatever example code and typosquat say
    assert dangerous["factors"]["file_scan"] == ("os.system", 0.0)
    assert dangerous["score"] < card(world, "acme/pickle-7b")["score"]


def test_a_model_without_licence_scores_lower_on_operational(world):
    safe, unlicensed = card(world, "acme/safe-7b"), card(world, "acme/unlicensed-7b")
    # eleven operational factors; licence_present and licence_type go from 10 (apache-2.0, permissive) to 0
    assert safe["operational"] - unlicensed["operational"] == pytest.approx(20 / 11)
    assert unlicensed["factors"]["licence_present"] == ("none", 0.0) and unlicensed["factors"]["licence_type"] == ("none", 0.0)
    assert unlicensed["flags"] == ["no_license"] and safe["flags"] == []


def test_a_factor_not_collected_lowers_coverage_not_the_score(world):
    scanned, unscanned = card(world, "acme/safe-7b"), card(world, "acme/unscanned-7b")
    assert unscanned["factors"]["file_scan"] == (None, None)
    assert (scanned["coverage"], unscanned["coverage"]) == (pytest.approx(1.0), pytest.approx(24 / 25))
    assert unscanned["security"] == scanned["security"] == pytest.approx(10.0)
    assert unscanned["score"] == pytest.approx(scanned["score"])
    quiet = card(world, "acme/quiet-7b")  # no per-model requests: discussions, pull requests, recency and file scan unknown
    assert quiet["coverage"] == pytest.approx(21 / 25) and quiet["activity"] is None and quiet["score"] is not None


def test_a_modelscope_model_gets_the_card_its_listing_allows_and_a_mirror_keeps_the_hf_card(world):
    own = card(world, "acme/ms-only-7b")
    assert own["platform"] == "ModelScope" and own["org"] is None and not own["partial"]
    factors = own["factors"]  # factor -> (raw value, points)
    # 10 * ln(1 + 1,200) / ln(1 + the month's largest downloads, meta-llama's 1,000,000)
    assert factors["downloads"] == ("1200", pytest.approx(10 * math.log(1201) / math.log(1_000_001)))
    assert (factors["papers"][1], factors["licence_present"][1], factors["example_code"][1]) == (10, 10, 10)
    assert factors["provider"] == ("official provider", 10)  # not registered, but the leaderboard's official provider
    # collected: downloads, likes, papers; provider, maturity, maintenance, licence present and type; example code, typosquat
    assert own["coverage"] == pytest.approx(10 / 25) and own["activity"] is None and factors["safetensors"][1] is None
    with duckdb.connect(str(world["db"]), read_only=True) as con:
        source = con.execute("SELECT source FROM model_scorecard_factors WHERE month = $m AND model = 'acme/ms-only-7b' AND factor = 'safetensors'", {"m": MONTH}).fetchone()
        mirrors = con.execute("SELECT platform FROM model_scorecards WHERE month = $m AND model = 'acme/safe-7b'", {"m": MONTH}).fetchall()
    assert source == ("not given by ModelScope",)
    assert mirrors == [("HuggingFace",)]


def test_a_second_account_of_the_same_organisation_is_no_lookalike(world):
    assert card(world, "metallama/Llama-3.1-8B")["flags"] == []
    assert card(world, "metallama/Llama-3.1-8B")["factors"]["typosquat"] == ("no look-alike", 10.0)


def test_an_uncollected_lookalike_owner_is_fetched_live_and_flagged(world, monkeypatch, capsys):
    monkeypatch.setenv("HF_ENDPOINT", world["server"].url)
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    before = len(world["server"].requests)
    assert main(["scorecard", "meta-IIama/Llama-3.1-8B", "--db", str(world["db"]), "--format", "json"]) == 0
    printed = capsys.readouterr().out
    lookalike = json.loads(printed)
    assert lookalike["model"] == "meta-IIama/Llama-3.1-8B" and lookalike["month"] == "2025-02"
    assert lookalike["flags"] == ["typosquat:meta-llama/Llama-3.1-8B"]
    assert {"category": "security", "factor": "typosquat", "value": "looks like meta-llama/Llama-3.1-8B", "points": 0.0} == {
        k: v for k, v in next(f for f in lookalike["factors"] if f["factor"] == "typosquat").items() if k != "source"
    }
    assert set(lookalike) == {"model", "month", "popularity", "activity", "operational", "security", "score", "coverage", "factors", "flags"}
    fetched = [r.target.split("?")[0] for r in world["server"].requests[before:]]
    assert fetched == ["/api/models/meta-IIama/Llama-3.1-8B", *["/api/models/meta-IIama/Llama-3.1-8B/discussions"] * 2, "/api/models/meta-IIama/Llama-3.1-8B/tree/main"]
    assert all(r.headers.get("authorization") == f"Bearer {TOKEN}" for r in world["server"].requests[before:])
    assert TOKEN not in printed


def test_lookalikes_fold_visual_confusions_and_skip_one_organisation():
    population = pl.DataFrame(
        {
            "model": ["meta-llama/Llama-3.1-8B", "meta-IIama/Llama-3.1-8B", "metallama/Llama-3.1-8B", "meta_llama/Llama-3.1-8b", "rneta-llama/Llama-3.1-8B",
                      "someone/Llama-3.1-8B", "meta-llama/Llama-3.1-8B-x", "meta-lama/Llama-3.1-88"],
            "downloads": [1_000_000, 5, 5, 5, 5, 5, 5, 5],
            "org_key": ["Meta", "meta-IIama", "Meta", "meta_llama", "rneta-llama", "someone", "Meta", "meta-lama"],
        }
    ).with_columns(pl.col("model").str.split("/").list.get(0).alias("account"), pl.col("model").str.split("/").list.get(1).alias("name"))
    found = find_lookalikes(population, popularity_ratio=10, min_target_downloads=1000)
    assert found.select("model", "imitated", "edits").rows() == [
        ("meta-IIama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B", 0),  # I/l
        ("meta_llama/Llama-3.1-8b", "meta-llama/Llama-3.1-8B", 0),  # _/- and case
        ("rneta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B", 0),  # rn/m
    ]  # metallama is Meta's own; someone/ is far; meta-lama/...-88 is two edits away


def test_scorecards_list_sorts_the_riskiest_first(world, capsys):
    assert main(["scorecards", "--db", str(world["db"]), "--sort", "security", "--ascending", "--org", "acme ai", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Model scorecards, 2025-02, acme ai (2 shown)"
    assert lines[2].startswith("acme/dangerous-7b ") and "dangerous_pickle" in lines[2]
    assert lines[3].startswith("acme/pickle-7b ") and "5,000" in lines[3]


def test_bad_input_is_one_clear_line(world, monkeypatch, capsys):
    monkeypatch.setenv("HF_ENDPOINT", world["server"].url)
    assert main(["scorecard", "not-a-model-id", "--db", str(world["db"])]) == 2
    assert capsys.readouterr().err == "osir: error: 'not-a-model-id' is not a model id ACCOUNT/NAME\n"
    assert main(["scorecard", "nobody/nothing", "--db", str(world["db"])]) == 2
    assert capsys.readouterr().err == f"osir: error: no model 'nobody/nothing' on {world['server'].url} (or it is private)\n"
    assert main(["scorecard", "acme/safe-7b", "--db", str(world["db"]), "--month", "2024-12"]) == 2
    assert capsys.readouterr().err == "osir: error: no scorecards for 2024-12 (months with scorecards: 2025-02)\n"


def test_the_token_never_reaches_the_database_or_the_card(world, capsys):
    assert main(["scorecard", "acme/safe-7b", "--db", str(world["db"])]) == 0
    assert TOKEN not in capsys.readouterr().out
    with duckdb.connect(str(world["db"]), read_only=True) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        leaks = {t: con.execute(f'SELECT count(*) FROM "{t}" AS t WHERE CAST(t AS VARCHAR) LIKE $p', {"p": f"%{TOKEN}%"}).fetchone()[0] for t in tables}
    assert set(SCORECARD_ASSETS) - {"scorecard_profile"} <= set(tables) and sum(leaks.values()) == 0


def test_report_section_lists_trust_risky_models_and_lookalikes(world):
    from osir_assets.scorecards.report_section import scorecard_section

    with duckdb.connect(str(world["db"]), read_only=True) as con:
        section = scorecard_section(con, MONTH)
    risky = section.split('id="scorecards-risky"')[1].split("</table>")[0]
    rows = [r for r in risky.split("<tr>") if r.startswith("<td")]
    # the least secure of the month's most downloaded models first: the dangerous pickle, then the pickle-only one
    assert rows[0].startswith('<td class="org">acme/dangerous-7b</td><td class="org">Acme AI</td><td>5,000</td><td>0.00</td>')
    assert rows[1].startswith('<td class="org">acme/pickle-7b</td><td class="org">Acme AI</td><td>5,000</td><td>7.00</td>')
    trust = section.split('id="scorecards-orgs"')[1].split("</table>")[0]
    # Acme AI: 6 models, 25,010 downloads, of which the pickle-only and the dangerous one (10,000) are unsafe
    assert '<td class="org">Acme AI</td><td>6</td><td>25,010</td>' in trust and "<td>40.0%</td>" in trust
    with duckdb.connect(":memory:") as empty:
        assert scorecard_section(empty, MONTH) == ""

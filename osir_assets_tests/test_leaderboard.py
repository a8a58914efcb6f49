"""Leaderboard analytics on small hand-made leaderboards: every definition of issue 12, checked through `osir analytics`.

The fixture below is written row by row so that each definition has a case that would come out differently
if the rule were applied wrongly; the expected figures are worked out by hand in the comments.
"""

import json
import math
import re
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from osir_assets.cli import main
from osir_assets.errors import OsirInputError
from osir_assets.leaderboard.source import read_leaderboard_file

FT, CHAT, PRE, CONT = "🔶 fine-tuned on domain-specific datasets", "💬 chat models (RLHF, DPO, IFT, ...)", "🟢 pretrained", "🟩 continuously pretrained"
MERGE, MULTI, OTHER = "🤝 base merges and moerges", "🌸 multimodal", "❓ other"
LLAMA, MISTRAL = "LlamaForCausalLM", "MistralForCausalLM"

# fullname, average, type, architecture, params, merged, flagged, base model, submission date, precision, sha
ROWS = [
    # Duplicates: the highest average wins; between the two 60s, the later submission date (2025-01-20).
    ("alice/m1", 50.0, FT, LLAMA, 0.5, False, False, "", "2025-01-10", "bfloat16", "a1"),
    ("alice/m1", 60.0, FT, LLAMA, 0.5, False, False, "", "2025-01-05", "bfloat16", "a2"),
    ("alice/m1", 60.0, FT, LLAMA, 0.5, False, False, "", "2025-01-20", "bfloat16", "a3"),
    # Base model `Removed`, the model itself, empty: none.
    ("alice/m2", 40.0, CHAT, LLAMA, 7.0, False, False, "Removed", "2025-01-10", "bfloat16", "a4"),
    ("alice/m3", 41.0, PRE, LLAMA, 7.0, False, False, "alice/m3", "2025-01-10", "bfloat16", "a5"),
    # Same average and date: the first row (float16) wins.
    ("bob/b1", 40.0, MULTI, LLAMA, 7.0, False, False, "", "2025-01-10", "float16", "b1"),
    ("bob/b1", 40.0, MULTI, LLAMA, 7.0, False, False, "", "2025-01-10", "bfloat16", "b1"),
    # Flagged rows are dropped: carol keeps her 30, dave disappears.
    ("carol/c1", 99.0, OTHER, LLAMA, 7.0, False, True, "", "2025-01-10", "bfloat16", "c1"),
    ("carol/c1", 30.0, OTHER, LLAMA, 7.0, False, False, "", "2025-01-10", "float16", "c2"),
    ("dave/d1", 95.0, FT, LLAMA, 7.0, False, True, "", "2025-01-10", "bfloat16", "d1"),
    # base/B (20) and its five derivatives: merges (x/merge1 by its type, x/merge2 by Merged) are left out of the improvement.
    ("base/B", 20.0, PRE, MISTRAL, 7.0, False, False, "Removed", "2025-01-01", "bfloat16", "B"),
    ("x/merge1", 90.0, MERGE, MISTRAL, 7.0, False, False, "base/B", "2025-01-10", "bfloat16", "x1"),
    ("x/merge2", 80.0, FT, MISTRAL, 7.0, True, False, "base/B", "2025-01-10", "bfloat16", "x2"),
    ("x/ft1", 30.0, FT, MISTRAL, 7.0, False, False, "base/B", "2025-01-02", "bfloat16", "x3"),
    ("y/ft2", 25.0, CHAT, MISTRAL, 7.0, False, False, "base/B", "2025-01-03", "bfloat16", "y1"),
    ("z/ft3", 35.0, CONT, LLAMA, 1.5, False, False, "base/B", "2025-01-11", "bfloat16", "z1"),
    # Two bases with one derivative each, not on the leaderboard themselves: ordinal order puts 'Zeta/Z' before 'alpha/a'.
    ("q/q1", 10.0, FT, LLAMA, 7.0, False, False, "alpha/a", "2025-01-10", "bfloat16", "q1"),
    ("q/q2", 11.0, FT, LLAMA, 7.0, False, False, "Zeta/Z", "2025-01-10", "bfloat16", "q2"),
    # Eight one-model authors; one architecture under 5% of the models, one missing.
    *[(f"solo{i}/s", 15.0, FT, "GPT2LMHeadModel" if i == 1 else (None if i == 2 else LLAMA), 7.0, False, False, "", "2025-01-10", "bfloat16", f"s{i}")
      for i in range(1, 9)],
]


def official_table(rows=ROWS) -> pl.DataFrame:
    """The rows under the contents dataset's official column names (plus an unnamed index column to ignore)."""
    columns = ["fullname", "Average ⬆️", "Type", "Architecture", "#Params (B)", "Merged", "Flagged", "Base Model", "Submission Date", "Precision", "Model sha"]
    frame = pl.DataFrame([dict(zip(columns, row)) for row in rows], schema_overrides={"Architecture": pl.String})
    return frame.with_row_index("").with_columns(pl.lit("Original").alias("Weight type"), pl.lit(True).alias("MoE").not_(), pl.lit(3).alias("Hub ❤️"))


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("leaderboard")
    official_table().write_csv(folder / "contents.csv")
    db = folder / "osir.duckdb"
    out = folder / "figures.json"
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["analytics", "--leaderboard", str(folder / "contents.csv"), "--month", "2025-03", "--db", str(db), "--format", "json"]) == 0
    out.write_text(buffer.getvalue())
    return {"json": json.loads(buffer.getvalue()), "db": db}


def test_duplicates_and_flagged_rows_leave_one_row_per_model(figures):
    with duckdb.connect(str(figures["db"]), read_only=True) as con:
        kept = dict(con.execute("SELECT model, average FROM leaderboard_models").fetchall())
        dates = dict(con.execute("SELECT model, submission_date::VARCHAR FROM leaderboard_models").fetchall())
        precision = dict(con.execute("SELECT model, precision FROM leaderboard_models").fetchall())
        entries = con.execute("SELECT count(*) FROM leaderboard_entries").fetchone()[0]
    assert entries == len(ROWS) == 26
    assert len(kept) == 21 and "dave/d1" not in kept
    assert kept["alice/m1"] == 60.0 and dates["alice/m1"] == "2025-01-20"
    assert kept["carol/c1"] == 30.0
    assert precision["bob/b1"] == "float16"


def test_concentration_figures(figures):
    f = figures["json"]
    assert (f["models"], f["authors"]) == (21, 16)
    # models per author: alice 3, x 3, q 2, thirteen authors with 1; top 10 = 3 + 3 + 2 + 7 = 15 of 21.
    assert f["top10_share"] == pytest.approx(15 / 21)
    assert f["top200_share"] == pytest.approx(1.0)
    # Gini of [1 x 13, 2, 3, 3]: 2 * (91 + 28 + 45 + 48) / (16 * 21) - 17 / 16.
    assert f["gini"] == pytest.approx(0.1994047619)


def test_types_and_architectures(figures):
    f = figures["json"]
    assert f["models_by_type"] == {"fine-tuned": 13, "chat": 2, "pretrained": 2, "continuously pretrained": 1, "merge": 1, "multimodal": 1, "other": 1}
    # GPT2 (1 of 21 = 4.8%) and the missing architecture fall under 'other'.
    assert f["architecture_share"] == pytest.approx({LLAMA: 14 / 21, MISTRAL: 5 / 21, "other": 2 / 21})  # Mistral: base/B and four of its derivatives


def test_derivatives_by_count_then_ordinal_id(figures):
    assert figures["json"]["derivatives"] == [
        {"base_model": "base/B", "derivatives": 5},
        {"base_model": "Zeta/Z", "derivatives": 1},
        {"base_model": "alpha/a", "derivatives": 1},
    ]


def test_improvement_leaves_merges_out(figures):
    # The merges (90 and 80) would win; the best non-merge derivative is z/ft3 at 35: +15 points, +75% of 20.
    assert figures["json"]["improvement"] == [
        {"base_model": "base/B", "derivatives": 5, "base_average": 20.0, "best_derivative": "z/ft3", "best_average": 35.0,
         "improvement": 15.0, "improvement_pct": 75.0},
    ]


def test_improvement_over_time_keeps_each_new_best(figures):
    timeline = figures["json"]["improvement_timeline"]
    # x/ft1 (day 1, 30) beats the base; y/ft2 (day 2, 25) beats nothing; z/ft3 (day 10, 35) beats x/ft1.
    assert [(t["derivative"], t["days_since_base"]) for t in timeline] == [("x/ft1", 1), ("z/ft3", 10)]
    assert [t["improvement_pct"] for t in timeline] == pytest.approx([50.0, 75.0])
    assert [t["improvement_pct_per_log_derivatives"] for t in timeline] == pytest.approx([50.0 / math.log(6), 75.0 / math.log(6)])


def test_weekly_authors_and_size_buckets(figures):
    f = figures["json"]
    assert f["authors_weekly"] == [
        {"week": "2024-12-30", "models": 3, "active_authors": 3, "new_authors": 3, "total_authors": 3},
        {"week": "2025-01-06", "models": 17, "active_authors": 14, "new_authors": 13, "total_authors": 16},
        {"week": "2025-01-20", "models": 1, "active_authors": 1, "new_authors": 0, "total_authors": 16},
    ]
    buckets = {b["bucket"]: b for b in f["size_buckets"]}
    assert (buckets["< 1.5B"]["models"], buckets["< 1.5B"]["best_model"]) == (1, "alice/m1")
    assert (buckets["1.5-4B"]["models"], buckets["1.5-4B"]["best_average"]) == (1, 35.0)  # a lower bound is inside its bucket
    assert buckets["4-9B"]["models"] == 19 and buckets["4-9B"]["best_model"] == "x/merge1"


def test_table_output_prints_counts_and_shares_for_people(figures, capsys):
    assert main(["analytics", "--month", "2025-03", "--db", str(figures["db"])]) == 0
    out = capsys.readouterr().out
    assert "models        21" in out and "top-10 share  0.7143 (71.43%)" in out
    assert "base/B -> z/ft3" in out and "e+" not in out


def test_the_three_layouts_read_the_same_model(tmp_path):
    official = tmp_path / "official.parquet"
    official_table(ROWS[:1]).write_parquet(official)
    formatted = tmp_path / "formatted.csv"
    pl.DataFrame({"id": ["x"], "model_name": ["alice/m1"], "model_sha": ["a1"], "model_precision": ["bfloat16"], "model_type": ["fine-tunedondomain-specificdatasets"],
                  "model_average_score": [50.0], "features_is_flagged": ["FALSE"], "features_is_not_available_on_hub": ["TRUE"],
                  "metadata_base_model": ["Removed"], "metadata_submission_date": ["2025-01-10"], "new_benchmark_value": [1.0]}).write_csv(formatted)
    v1 = tmp_path / "v1.csv"
    pl.DataFrame({"fullname": ["alice/m1"], "model_sha": ["a1"], "precision": ["bfloat16"], "average": [50.0], "arc": [61.0], "type": [FT],
                  "flagged": ["TRUE"], "merged": ["TRUE"], "moe": ["FALSE"], "date": ["2025-01-10T12:22:44Z"]}).write_csv(v1)
    rows = [read_leaderboard_file(official), read_leaderboard_file(formatted), read_leaderboard_file(v1, invert_flags=True)]
    for row in rows:
        assert row.select("model", "author", "average", "type", "flagged", "base_model", "submission_date").row(0) == (
            "alice/m1", "alice", 50.0, "fine-tuned", False, None, __import__("datetime").date(2025, 1, 10))
    assert rows[1]["available_on_hub"][0] is True  # the formatted export's misnamed column holds "available"
    assert (rows[2]["arc"][0], rows[2]["merged"][0], rows[2]["moe"][0]) == (61.0, False, True)  # v1 flags read inverted
    assert read_leaderboard_file(v1)["flagged"][0] is True  # ...only when asked to


def test_a_missing_required_column_is_named(tmp_path, capsys):
    broken = tmp_path / "broken.csv"
    official_table(ROWS[:2]).drop("Model sha").write_csv(broken)
    with pytest.raises(OsirInputError, match="missing required column 'Model sha'"):
        read_leaderboard_file(broken)
    assert main(["analytics", "--leaderboard", str(broken), "--month", "2025-03", "--db", str(tmp_path / "x.duckdb")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("osir: error: ") and "missing required column 'Model sha'" in err and "Traceback" not in err


def test_a_v1_export_read_as_it_is_warns_that_most_rows_are_flagged(tmp_path, capsys):
    table = official_table().with_columns(pl.col("Flagged").not_())  # what a v1 export looks like without --invert-flags
    table.write_csv(tmp_path / "v1like.csv")
    db = tmp_path / "osir.duckdb"
    assert main(["analytics", "--leaderboard", str(tmp_path / "v1like.csv"), "--month", "2025-03", "--db", str(db)]) == 0
    assert "mostly_flagged: 24 of 26 rows flagged" in capsys.readouterr().err
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM leaderboard_models").fetchone()[0] == 2  # dave and carol's 99 row


def test_the_ranking_link_per_registered_organisation(sample_db, tmp_path, capsys):
    """On a copy of the sample database: Sample Org 1 (account sample-org-1) gets its models, their best
    average, the community's derivatives of them and their best improvement; the published profile does not
    score the leaderboard indicators."""
    db = Path(shutil.copy(sample_db, tmp_path / "osir.duckdb"))
    rows = [
        ("Sample-Org-1/base", 20.0, PRE, LLAMA, 7.0, False, False, "", "2025-01-01", "bfloat16", "o1"),
        ("sample-org-1/chat", 24.0, CHAT, LLAMA, 7.0, False, False, "Sample-Org-1/base", "2025-01-02", "bfloat16", "o2"),
        ("fan/tune", 26.0, FT, LLAMA, 7.0, False, False, "Sample-Org-1/base", "2025-01-03", "bfloat16", "f1"),
        ("fan/merge", 40.0, MERGE, LLAMA, 7.0, True, False, "Sample-Org-1/base", "2025-01-03", "bfloat16", "f2"),
        ("fan/chat-tune", 23.0, FT, LLAMA, 7.0, False, False, "sample-org-1/chat", "2025-01-04", "bfloat16", "f3"),
    ]
    official_table(rows).write_csv(tmp_path / "contents.csv")
    assert main(["analytics", "--leaderboard", str(tmp_path / "contents.csv"), "--month", "2025-01", "--db", str(db)]) == 0
    capsys.readouterr()
    with duckdb.connect(str(db), read_only=True) as con:
        link = con.execute("SELECT org, models, best_average, community_derivatives, community_improvement FROM leaderboard_organisations WHERE month = '2025-01-01'").fetchall()
        indicators = dict(con.execute(
            "SELECT indicator, value FROM indicator_values WHERE month = '2025-01-01' AND view = 'monthly' AND org = 'Sample Org 1' AND indicator LIKE 'leaderboard_%'"
        ).fetchall())
        scored = con.execute("SELECT count(*) FROM normalised_indicators WHERE indicator LIKE 'leaderboard_%'").fetchone()[0]
    # Two own models (case-insensitive account), best 24; three community derivatives; the best non-merge one
    # over its base: fan/tune 26 - 20 = 6 (fan/chat-tune is 1 below sample-org-1/chat; the merge does not count).
    assert link == [("Sample Org 1", 2, 24.0, 3, 6.0)]
    assert indicators == {"leaderboard_models": 2.0, "leaderboard_best_average": 24.0, "leaderboard_derivatives": 3.0, "leaderboard_improvement": 6.0}
    assert scored == 0
    assert main(["explain", "Sample Org 1", "--month", "2025-01", "--dimension", "model", "--db", str(db)]) == 0
    shown = capsys.readouterr().out.split("Optional indicators, computed but not scored")[1]
    assert re.search(r"\| model\s+\| leaderboard_derivatives\s+\|\s+3 \|", shown) and re.search(r"\| leaderboard_improvement\s+\|\s+6 \|", shown)


def test_collect_downloads_the_live_contents_dataset_as_the_current_month(tmp_path, monkeypatch, capsys):
    import datetime as dt

    from osir_assets.leaderboard.resources import LeaderboardSource
    from osir_assets_tests.fakes.leaderboard import CONTENTS_PATH, FakeContentsServer

    official_table(ROWS[:3]).write_parquet(tmp_path / "contents.parquet")
    this_month = dt.datetime.now(dt.timezone.utc).date().replace(day=1)
    db = tmp_path / "data" / "osir.duckdb"
    # With telemetry on, huggingface_hub fetches an "agent harness" list from the public Hub once per process.
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_DISABLE_TELEMETRY", True)
    with FakeContentsServer((tmp_path / "contents.parquet").read_bytes()) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        monkeypatch.setenv("HF_TOKEN", "hf_not_a_real_token")
        assert main(["analytics", "--collect", "--format", "json", "--db", str(db)]) == 0
        with pytest.raises(OsirInputError, match="current month"):
            LeaderboardSource(mode="live", endpoint=hub.url).snapshot(dt.date(2025, 1, 1))
    figures = json.loads(capsys.readouterr().out)
    assert (figures["month"], figures["models"], figures["authors"]) == (f"{this_month:%Y-%m}", 1, 1)  # alice/m1, three rows
    assert ("GET", CONTENTS_PATH, True) in hub.requests  # the token was sent...
    kept = list((tmp_path / "data" / "raw" / f"{this_month:%Y-%m}").rglob("*.parquet"))
    assert len(kept) == 1  # ...and the month's receipt kept beside the database, without it
    assert not any(b"hf_not_a_real_token" in p.read_bytes() for p in (tmp_path / "data").rglob("*") if p.is_file())

"""A month is replaced alone and atomically; a failed run keeps what was there. (The scoring rules themselves, with
hand-computed values: test_rules_scores.py.)"""

import datetime as dt
import json

import duckdb
import polars as pl
import pytest

from osir_assets.definitions import build_resources
from osir_assets.lib.duckdb_store import replace_month
from osir_assets.runner import MonthFailed, materialize_months
from osir_assets.scoring.profile import ScoringProfile
from osir_assets_tests.conftest import all_tables, month_hash, run_archive

NOV, DEC, JAN = dt.date(2024, 11, 1), dt.date(2024, 12, 1), dt.date(2025, 1, 1)


def hashes(db, months):
    # audit_results and month_blocks record every run's audit, by design; the published tables are the rest.
    return {(t, m): month_hash(db, t, m) for t in all_tables(db) for m in months if t not in ("audit_results", "month_blocks")}


def test_rerunning_a_month_replaces_only_that_month(sample_copy, tmp_path):
    db = tmp_path / "osir.duckdb"
    run_archive(sample_copy, db)
    before = hashes(db, [NOV, DEC, JAN])
    # Change December's Hugging Face downloads, then rerun December only.
    path = sample_copy / "data" / "2024-12-14" / "HuggingFace" / "raw-models-info.jsonl"
    frame = pl.read_ndjson(path).with_columns(pl.col("downloads_last_month") * 3)
    frame.write_ndjson(path)
    materialize_months([DEC], build_resources(str(db), str(sample_copy)))
    after = hashes(db, [NOV, DEC, JAN])
    assert all(after[(t, m)] == before[(t, m)] for t, m in before if m != DEC), "a month other than December changed"
    changed = {t for (t, m) in before if m == DEC and after[(t, m)] != before[(t, m)]}
    assert {"hf_model_repos", "merged_model_repos", "indicator_values", "dimension_scores"} <= changed


def test_a_failing_statement_keeps_the_previous_month(tmp_path):
    with duckdb.connect(str(tmp_path / "t.duckdb")) as con:
        replace_month(con, "things", DEC, "SELECT range AS n FROM range(5)")
        replace_month(con, "things", JAN, "SELECT range AS n FROM range(3)")
        with pytest.raises(duckdb.Error):
            # Fails part-way: the first rows are fine, a later one raises.
            replace_month(con, "things", DEC, "SELECT CASE WHEN range < 4 THEN range ELSE error('crash')::BIGINT END AS n FROM range(10)")
        counts = dict(con.execute("SELECT month, count(*) FROM things GROUP BY ALL").fetchall())
    assert counts == {DEC: 5, JAN: 3}


def test_a_failed_run_blocks_the_scores_and_keeps_earlier_results(sample_copy, tmp_path):
    db = tmp_path / "osir.duckdb"
    run_archive(sample_copy, db)
    before = hashes(db, [NOV, DEC, JAN])
    broken = ScoringProfile(overall_weights={"data": 1.0, "modle": 1.0})  # a typo: unknown dimension
    with pytest.raises(MonthFailed, match="scoring_profile.*unknown dimensions.*modle"):
        materialize_months([JAN], build_resources(str(db), str(sample_copy), scoring=broken))
    assert hashes(db, [NOV, DEC, JAN]) == before


def _write_infra(archive, folder, rows):
    pl.DataFrame(rows).write_csv(archive / "data" / folder / "infra-summary.csv")


def test_ties_share_a_dense_rank(sample_copy, tmp_path):
    infra = pl.read_csv(sample_copy / "data" / "2025-01-14" / "infra-summary.csv")
    # Orgs 1 and 2 identical and best, org 3 next: dense ranks 1, 1, 2.
    values = [[30, 9, 9, 1, 9, 4, 1], [30, 9, 9, 1, 9, 4, 1], [29, 9, 9, 1, 9, 4, 1]] + [[0] * 7] * (infra.height - 3)
    tied = pl.DataFrame({"org": infra["org"], **{c: [v[i] for v in values] for i, c in enumerate(infra.columns[1:])}})
    _write_infra(sample_copy, "2025-01-14", tied.to_dict(as_series=False))
    db = tmp_path / "osir.duckdb"
    run_archive(sample_copy, db)
    with duckdb.connect(str(db), read_only=True) as con:
        ranks = dict(con.execute("SELECT org, rank FROM dimension_rankings WHERE month = $m AND view = 'monthly' AND dimension = 'infra'", {"m": JAN}).fetchall())
    assert ranks["Sample Org 1"] == ranks["Sample Org 2"] == 1
    assert ranks["Sample Org 3"] == 2
    assert {ranks[o] for o in infra["org"][3:]} == {3}


def test_a_new_organisation_has_no_delta_rank(sample_copy, tmp_path):
    links = json.loads((sample_copy / "config" / "org-links.json").read_text())
    links["Newcomer Lab"] = {"HuggingFace": ["https://huggingface.co/newcomer-lab"]}
    (sample_copy / "config" / "org-links.json").write_text(json.dumps(links))
    for name in ("infra", "eval"):
        path = sample_copy / "data" / "2025-01-14" / f"{name}-summary.csv"
        table = pl.read_csv(path)
        table.vstack(pl.DataFrame({"org": ["Newcomer Lab"], **{c: [1] for c in table.columns[1:]}}, schema=table.schema)).write_csv(path)
    db, out = tmp_path / "osir.duckdb", tmp_path / "out"
    run_archive(sample_copy, db)
    with duckdb.connect(str(db), read_only=True) as con:
        delta = dict(con.execute("SELECT org, delta_rank FROM influence_scores WHERE month = $m AND view = 'monthly'", {"m": JAN}).fetchall())
        from osir_assets.exports.published_layout import write_month

        write_month(con, JAN, out)
    assert delta["Newcomer Lab"] is None
    assert all(v is not None for o, v in delta.items() if o != "Newcomer Lab")
    overall = (out / "overall-rank.csv").read_text().splitlines()
    assert overall[-1].startswith("Newcomer Lab,") and overall[-1].endswith(",")  # empty delta cell
    assert all(line.rsplit(",", 1)[1].endswith(".0") for line in overall[1:-1])  # pandas writes the column as floats

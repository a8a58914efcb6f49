"""SPEC sections 5-7 and OSIR's accumulated view, rule by rule, on a hand-made archive (expected rows by hand).

Folders: 2024-11-14 (ModelScope and OpenDataLab totals only: the baseline), 2024-12-14, 2025-01-14, and 2025-03-20
(February missing, so March has no snapshot 30 +- 15 days earlier: Jan 14 is 35 days from Feb 18).
Organisations: Alpha (Hugging Face ``alpha``, ModelScope ``AlphaMS``; its OpenDataLab records name it), Beta (two
Hugging Face accounts, ``beta`` and ``beta-labs``).
"""

import datetime as dt

import duckdb
import pytest

from osir_assets_tests.archive_builder import ArchiveBuilder
from osir_assets_tests.conftest import run_archive

NOV, DEC, JAN, MAR = dt.date(2024, 11, 1), dt.date(2024, 12, 1), dt.date(2025, 1, 1), dt.date(2025, 3, 1)
N, D, J, M = "2024-11-14", "2024-12-14", "2025-01-14", "2025-03-20"


def _archive(root):
    a = ArchiveBuilder({"Alpha": {"HuggingFace": ["alpha"], "ModelScope": ["AlphaMS"]}, "Beta": {"HuggingFace": ["beta", "beta-labs"]}})
    for key in ("alpha/t49", "alpha/t50", "alpha/t51", "AlphaMS/ms49", "AlphaMS/ms50", "AlphaMS/ms-new", "AlphaMS/edge15", "AlphaMS/edge16",
                "beta/twin", "beta-labs/twin", "stranger/x"):
        a.model_label(key, "Language")
    a.model_label("alpha/bert", "Language", is_large_model=False)
    a.model_label("alpha/shared", "Multimodal").model_label("AlphaMS/shared", "Vision").model_label("beta/comeback", "Vision")
    a.dataset_label("alpha/ds-hf", "Language", "Pre-training").dataset_label("alpha/ds-invalid", "Language", "Pre-training", is_valid=False)
    a.dataset_label("AlphaMS/ds-ms", "Language", "Pre-training")
    a.dataset_label("AlphaMS/ds-mixed", None, "Evaluation").dataset_label("alpha/ds-mixed", "Language", "Fine-tuning")
    a.dataset_label("AlphaMS/ds-drop", "Vision", "Fine-tuning").dataset_label("alpha/ds-drop", "Speech", "Fine-tuning")
    # A ModelScope model and dataset with one name: the baseline dictionary is keyed by account/name, datasets read last.
    a.model_label("AlphaMS/clash", "Language", is_large_model=False).dataset_label("AlphaMS/clash", None, "Preference")
    for name in ("odl-a", "odl-new", "odl-down"):
        a.dataset_label(f"odl/{name}", "Vision", "Pre-training")

    # November: cumulative totals only, the baseline of December.
    for name, total in (("shared", 1000), ("ms49", 1000), ("ms50", 200), ("edge15", 100), ("edge16", 100)):
        a.ms_model(N, "AlphaMS", name, total)
    a.ms_model(N, "AlphaMS", "clash", 1000)
    a.ms_dataset(N, "AlphaMS", "ds-ms", 500).ms_dataset(N, "AlphaMS", "ds-drop", 180).ms_dataset(N, "AlphaMS", "clash", 100)
    a.odl_dataset(N, "Alpha", "odl", "odl-a", 1000).odl_dataset(N, "Alpha", "odl", "odl-down", 1000)

    # December.
    a.hf_model(D, "alpha", "t49", 49).hf_model(D, "alpha", "t50", 50).hf_model(D, "alpha", "t51", 51, likes=9, community=4, descendants=2)
    a.hf_model(D, "alpha", "bert", 5000).hf_model(D, "alpha", "nolabel", 900).hf_model(D, "stranger", "x", 1000)
    a.hf_model(D, "alpha", "shared", 300, likes=3, community=1, descendants=5)
    a.hf_model(D, "beta", "twin", 100, likes=1).hf_model(D, "beta-labs", "twin", 60, likes=2)
    a.hf_model(D, "beta", "comeback", 80, likes=7, community=3, descendants=1)
    a.ms_model(D, "AlphaMS", "shared", 1432, likes=2).ms_model(D, "AlphaMS", "ms49", 1049).ms_model(D, "AlphaMS", "ms50", 250)
    a.ms_model(D, "AlphaMS", "ms-new", 5000)
    a.ms_model(D, "AlphaMS", "edge15", 300, date_crawl="2024-12-29")  # 30 days before: Nov 29, the Nov 14 snapshot is 15 days off
    a.ms_model(D, "AlphaMS", "edge16", 300, date_crawl="2024-12-30")  # 16 days off: no baseline
    a.hf_dataset(D, "alpha", "ds-hf", 0, dataset_usage=2).hf_dataset(D, "alpha", "ds-mixed", 40).hf_dataset(D, "alpha", "ds-drop", 25)
    a.hf_dataset(D, "alpha", "ds-invalid", 999)
    a.ms_dataset(D, "AlphaMS", "ds-ms", 650).ms_dataset(D, "AlphaMS", "ds-mixed", 300).ms_dataset(D, "AlphaMS", "ds-drop", 100)
    a.ms_model(D, "AlphaMS", "clash", 1200).ms_dataset(D, "AlphaMS", "clash", 180)
    a.odl_dataset(D, "Alpha", "odl", "odl-a", 1400).odl_dataset(D, "Alpha", "odl", "odl-new", 500).odl_dataset(D, "Alpha", "odl", "odl-down", 900)

    # January: t50 falls below the threshold, comeback is not crawled, beta-labs/twin is gone.
    a.hf_model(J, "alpha", "t50", 30).hf_model(J, "alpha", "t51", 70, likes=3, community=6, descendants=4)
    a.hf_model(J, "alpha", "shared", 100, likes=1, descendants=5).hf_model(J, "beta", "twin", 140)
    a.ms_model(J, "AlphaMS", "shared", 1532).ms_model(J, "AlphaMS", "ms-new", 5600).ms_model(J, "AlphaMS", "ms50", 300)
    a.hf_dataset(J, "alpha", "ds-hf", 30, dataset_usage=1)
    a.ms_dataset(J, "AlphaMS", "ds-ms", 700)
    a.odl_dataset(J, "Alpha", "odl", "odl-a", 1500)

    # March: comeback is back; ModelScope and OpenDataLab have no baseline.
    a.hf_model(M, "alpha", "t51", 55, likes=4).hf_model(M, "beta", "comeback", 90, likes=2, community=1)
    a.ms_model(M, "AlphaMS", "shared", 2000).odl_dataset(M, "Alpha", "odl", "odl-a", 2000)

    # Curated datasets outside the platforms add to the counts every month; a NULL modality or Evaluation counts nowhere.
    a.other_dataset("Alpha", "Curated corpus", "Language", "Pre-training").other_dataset("Alpha", "Curated bench", None, "Evaluation")
    curated = {"Alpha": {"num_operators": 1}, "Beta": {"num_operators": 1}}
    a.curated(D, "infra", curated).curated(D, "eval", {"Alpha": {"num_leaderboards": 1}, "Beta": {"num_leaderboards": 1}})
    return a.write(root)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    root = tmp_path_factory.mktemp("rules_sources")
    run_archive(_archive(root / "archive"), root / "osir.duckdb")
    with duckdb.connect(str(root / "osir.duckdb"), read_only=True) as con:
        yield con


def rows(con, sql, month):
    return sorted(con.execute(sql, {"m": month}).fetchall(), key=repr)


def staged_models(con, month):
    return rows(con, "SELECT platform, account, name, downloads_last_month FROM stg_model_repos WHERE month = $m", month)


# --------------------------------------------------------------------------- section 5: filters and monthly downloads

def test_model_download_threshold_is_50_inclusive(db):
    names = {name for _, account, name, _ in staged_models(db, DEC) if account == "alpha"}
    assert {"t50", "t51"} <= names and "t49" not in names
    # On ModelScope too, on the difference: 1049 - 1000 = 49 is out, 250 - 200 = 50 is in.
    ms = {name for platform, _, name, _ in staged_models(db, DEC) if platform == "ModelScope"}
    assert "ms50" in ms and "ms49" not in ms


def test_models_need_a_mapped_account_and_a_large_model_label(db):
    names = {(account, name) for _, account, name, _ in staged_models(db, DEC)}
    assert not names & {("alpha", "bert"), ("alpha", "nolabel"), ("stranger", "x")}


def test_modelscope_monthly_downloads_are_the_difference_to_the_snapshot_30_days_before(db):
    assert staged_models(db, DEC) == sorted([
        ("HuggingFace", "alpha", "t50", 50), ("HuggingFace", "alpha", "t51", 51), ("HuggingFace", "alpha", "shared", 300),
        ("HuggingFace", "beta", "twin", 100), ("HuggingFace", "beta-labs", "twin", 60), ("HuggingFace", "beta", "comeback", 80),
        ("ModelScope", "AlphaMS", "shared", 432), ("ModelScope", "AlphaMS", "ms50", 50),
        # edge15 crawled on Dec 29: Nov 14 is 15 days from Nov 29, so 300 - 100; edge16 (16 days off) and ms-new
        # (no November record) have no baseline and are left out.
        ("ModelScope", "AlphaMS", "edge15", 200),
    ], key=repr)
    # ms-new is counted from its second month: 5600 - 5000.
    assert ("ModelScope", "AlphaMS", "ms-new", 600) in staged_models(db, JAN)


def test_no_snapshot_within_15_days_means_no_modelscope_or_opendatalab_downloads(db):
    assert staged_models(db, MAR) == sorted([("HuggingFace", "alpha", "t51", 55), ("HuggingFace", "beta", "comeback", 90)], key=repr)
    assert rows(db, "SELECT platform, name FROM stg_dataset_repos WHERE month = $m", MAR) == []


def test_dataset_monthly_downloads_per_platform(db):
    assert rows(db, "SELECT platform, account, name, downloads_last_month FROM stg_dataset_repos WHERE month = $m", DEC) == sorted([
        ("HuggingFace", "alpha", "ds-hf", 0),  # no download threshold for datasets
        ("HuggingFace", "alpha", "ds-mixed", 40), ("HuggingFace", "alpha", "ds-drop", 25),
        ("ModelScope", "AlphaMS", "ds-ms", 150),  # 650 - 500
        ("ModelScope", "AlphaMS", "ds-mixed", 0),  # no baseline: 0, and kept
        ("ModelScope", "AlphaMS", "ds-drop", -80),  # 100 - 180: kept, negative
        ("ModelScope", "AlphaMS", "clash", 80),  # 180 - 100, the dataset's November total (the model's 1000 was read first)
        ("OpenDataLab", "odl", "odl-a", 400),  # 1400 - 1000; odl-new (no baseline) and odl-down (negative) left out
    ], key=repr)


# ------------------------------------------------------------------------------------ section 6: cross-platform merge

def test_merge_order_modelscope_first_and_positive_downloads_add_up(db):
    got = rows(db, "SELECT org, name, account, platform, modality, downloads_last_month, likes, community, descendants FROM merged_model_repos WHERE month = $m", DEC)
    assert got == sorted([
        ("Alpha", "t50", "alpha", "HuggingFace", "Language", 50, 0, 0, 0),
        ("Alpha", "t51", "alpha", "HuggingFace", "Language", 51, 9, 4, 2),
        # ModelScope's account and label win over Hugging Face's Multimodal; downloads 432 + 300, likes 2 + 3.
        ("Alpha", "shared", "AlphaMS", "ModelScope", "Vision", 732, 5, 1, 5),
        ("Alpha", "ms50", "AlphaMS", "ModelScope", "Language", 50, 0, 0, None),
        ("Alpha", "edge15", "AlphaMS", "ModelScope", "Language", 200, 0, 0, None),
        # Merged by organisation and name, not by account: beta/twin and beta-labs/twin are one model.
        ("Beta", "twin", "beta", "HuggingFace", "Language", 160, 3, 0, 0),
        ("Beta", "comeback", "beta", "HuggingFace", "Vision", 80, 7, 3, 1),
    ], key=repr)


def test_merge_takes_the_first_records_labels_whole_null_included(db):
    got = rows(db, "SELECT name, account, modality, lifecycle, downloads_last_month, dataset_usage FROM merged_dataset_repos WHERE month = $m", DEC)
    assert got == sorted([
        ("ds-hf", "alpha", "Language", "Pre-training", 0, 2),
        # ModelScope's NULL modality is taken as it is, not replaced by Hugging Face's Language.
        ("ds-mixed", "AlphaMS", None, "Evaluation", 40, 0),
        # The negative ModelScope value is not added: 25 from Hugging Face only.
        ("ds-drop", "AlphaMS", "Vision", "Fine-tuning", 25, 0),
        ("ds-ms", "AlphaMS", "Language", "Pre-training", 150, None),
        ("odl-a", "odl", "Vision", "Pre-training", 400, None),
        ("clash", "AlphaMS", None, "Preference", 80, None),
    ], key=repr)


# ------------------------------------------------------------------------------------------ section 7: indicators

def indicators(con, month, view, dimension, org):
    return dict(con.execute("SELECT indicator, value FROM indicator_values WHERE month = $m AND view = $v AND dimension = $d AND org = $o AND value <> 0",
                            {"m": month, "v": view, "d": dimension, "o": org}).fetchall())


def test_model_indicators_count_merged_models_under_their_merged_label(db):
    assert indicators(db, DEC, "monthly", "model", "Alpha") == {
        "downloads_language": 50 + 51 + 50 + 200, "downloads_vision": 732, "descendants": 2 + 5,
        "num_language": 4, "num_vision": 1, "likes": 9 + 5, "issue": 4 + 1, "num_adapted_chips": 1}
    assert indicators(db, DEC, "monthly", "model", "Beta") == {
        "downloads_language": 160, "downloads_vision": 80, "descendants": 1, "num_language": 1, "num_vision": 1, "likes": 10, "issue": 3,
        "num_adapted_chips": 1}


def test_data_indicators_skip_a_null_modality_and_add_curated_datasets(db):
    # ds-mixed (modality NULL) counts in no modality column; the curated corpus adds 1 to num_language and
    # num_pretraining (and no downloads); the curated Evaluation set with no modality counts nowhere.
    assert indicators(db, DEC, "monthly", "data", "Alpha") == {
        "num_language": 2 + 1, "num_vision": 2, "downloads_language": 150, "downloads_vision": 25 + 400, "dataset_usage": 2,
        "num_pretraining": 3 + 1, "num_finetuning": 1, "downloads_pretraining": 550, "downloads_finetuning": 25,
        "num_preference": 1, "downloads_preference": 80}


# ------------------------------------------------------------------------------- the accumulated view (README)

ACCUMULATED = "SELECT org, name, account, modality, downloads_last_month, likes, community, descendants, months_counted, first_month FROM accumulated_model_repos WHERE month = $m"


def test_accumulated_models_sum_downloads_and_keep_the_last_seen_counters(db):
    assert rows(db, ACCUMULATED, JAN) == sorted([
        ("Alpha", "t50", "alpha", "Language", 50, 0, 0, 0, 1, DEC),  # below the threshold in January: December only
        ("Alpha", "t51", "alpha", "Language", 51 + 70, 3, 6, 4, 2, DEC),  # likes as last seen (3), not the maximum (9)
        ("Alpha", "shared", "AlphaMS", "Vision", 732 + 200, 1, 0, 5, 2, DEC),
        ("Alpha", "ms50", "AlphaMS", "Language", 50 + 50, 0, 0, None, 2, DEC),
        ("Alpha", "edge15", "AlphaMS", "Language", 200, 0, 0, None, 1, DEC),
        ("Alpha", "ms-new", "AlphaMS", "Language", 600, 0, 0, None, 1, JAN),
        ("Beta", "twin", "beta", "Language", 160 + 140, 0, 0, 0, 2, DEC),  # once, though on two accounts in December
        ("Beta", "comeback", "beta", "Vision", 80, 7, 3, 1, 1, DEC),  # not crawled in January: still counted
    ], key=repr)


def test_accumulated_models_a_repository_that_comes_back(db):
    march = {r[1]: r for r in rows(db, ACCUMULATED, MAR)}
    assert march["comeback"] == ("Beta", "comeback", "beta", "Vision", 80 + 90, 2, 1, 0, 2, DEC)
    assert march["t51"] == ("Alpha", "t51", "alpha", "Language", 51 + 70 + 55, 4, 0, 0, 3, DEC)  # community and descendants as last seen: 0
    assert len(march) == 8 and march["shared"][4] == 932  # nothing dropped, nothing counted twice
    # December's accumulated view is December alone (November had no counted model).
    assert {r[1]: r[4] for r in rows(db, ACCUMULATED, DEC)} == {"t50": 50, "t51": 51, "shared": 732, "ms50": 50, "edge15": 200, "twin": 160, "comeback": 80}


def test_accumulated_datasets(db):
    sql = "SELECT name, account, modality, lifecycle, downloads_last_month, dataset_usage, months_counted FROM accumulated_dataset_repos WHERE month = $m"
    assert rows(db, sql, JAN) == sorted([
        ("ds-hf", "alpha", "Language", "Pre-training", 0 + 30, 1, 2),  # usage as last seen (1), not the maximum (2)
        ("ds-mixed", "AlphaMS", None, "Evaluation", 40, 0, 1),
        # ModelScope datasets need no baseline: November counted ds-drop and ds-ms with 0 downloads.
        ("ds-drop", "AlphaMS", "Vision", "Fine-tuning", 0 + 25, 0, 2),
        ("ds-ms", "AlphaMS", "Language", "Pre-training", 0 + 150 + 50, None, 3),  # January: 700 - 650
        ("odl-a", "odl", "Vision", "Pre-training", 400 + 100, None, 2),
        ("clash", "AlphaMS", None, "Preference", 0 + 80, None, 2),
    ], key=repr)


def test_accumulated_indicators_count_each_repository_once(db):
    assert indicators(db, JAN, "accumulated", "model", "Beta") == {
        "downloads_language": 300, "downloads_vision": 80, "descendants": 1, "num_language": 1, "num_vision": 1, "likes": 7, "issue": 3,
        "num_adapted_chips": 1}
    alpha = indicators(db, MAR, "accumulated", "model", "Alpha")
    assert alpha["num_language"] == 5 and alpha["downloads_language"] == 50 + 176 + 100 + 200 + 600 and alpha["downloads_vision"] == 932

"""SPEC section 8 rule by rule, on a hand-made archive whose every score is worked out by hand below.

The archive has no platform records: the data and model dimensions are driven by the per-organisation constants
(data ``operators``, model ``num_adapted_chips``; every other column is all zero and so left out), infra and eval
by tiny curated tables. So each dimension's score is a small fraction written here, and each rank follows.

December (2024-12-14)                    data: operators   model: chips   infra: ops, lifecycle, dl framework   eval
  Alpha                                  30                4              12, 4, 1                               5
  Beta                                   30                2              12, 4, 1                               5
  Gamma                                  10                1               4, 2, 1                               2
  Delta                                  10                1               4, 2, 1                               2
  Epsilon                                 0                1               8, 0, 1                               1
January (2025-01-14): Epsilon's curated rows become Alpha's, Beta's become Gamma's, and Newco (10 operators, 1 chip,
infra 0, 0, 1, eval 1) joins the table.
"""

from math import log2

import duckdb
import pytest

from osir_assets.scoring.profile import ScoringProfile
from osir_assets_tests.archive_builder import ArchiveBuilder
from osir_assets_tests.conftest import run_archive

DEC, JAN = "2024-12-01", "2025-01-01"
ORGS = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Newco"]


def _archive(root):
    archive = ArchiveBuilder({org: {"HuggingFace": [org.lower()]} for org in ORGS},
                             constants={"operators": {"Alpha": 30, "Beta": 30, "Gamma": 10, "Delta": 10, "Newco": 10},
                                        "num_adapted_chips": {"Alpha": 4, "Beta": 2}})
    # One unmapped record per month, so that each month has a Hugging Face crawl like a real one.
    for day in ("2024-12-14", "2025-01-14"):
        archive.hf_model(day, "someone-else", "m", downloads=1000)
    infra = lambda ops, lifecycle: {"num_operators": ops, "support_lifecycle": lifecycle, "deep_learning_framework": 1}
    archive.curated("2024-12-14", "infra", {"Alpha": infra(12, 4), "Beta": infra(12, 4), "Gamma": infra(4, 2), "Delta": infra(4, 2), "Epsilon": infra(8, 0)})
    archive.curated("2024-12-14", "eval", {o: {"num_leaderboards": v} for o, v in zip(ORGS, (5, 5, 2, 2, 1))})
    archive.curated("2025-01-14", "infra", {"Alpha": infra(12, 4), "Beta": infra(4, 2), "Gamma": infra(4, 2), "Delta": infra(4, 2),
                                             "Epsilon": infra(12, 4), "Newco": infra(0, 0)})
    archive.curated("2025-01-14", "eval", {o: {"num_leaderboards": v} for o, v in zip(ORGS, (5, 2, 2, 2, 5, 1))})
    return archive.write(root)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The archive scored with the published profile."""
    root = tmp_path_factory.mktemp("rules_scores")
    run_archive(_archive(root / "archive"), root / "osir.duckdb")
    return duckdb.connect(str(root / "osir.duckdb"), read_only=True)


VARIANT = ScoringProfile(normalisation="observed_min", dimension_methods={"infra": "weights"},
                         indicator_weights={"infra": {"num_operators": 3.0, "support_lifecycle": 1.0}},
                         overall_weights={"data": 0.1, "model": 0.2, "infra": 0.3, "eval": 0.4})


@pytest.fixture(scope="module")
def variant(tmp_path_factory):
    """The same archive with every scoring option moved off its default."""
    root = tmp_path_factory.mktemp("rules_scores_variant")
    run_archive(_archive(root / "archive"), root / "osir.duckdb", scoring=VARIANT)
    return duckdb.connect(str(root / "osir.duckdb"), read_only=True)


def _by_org(con, sql, month, **params):
    return dict(con.execute(sql, {"m": month, **params}).fetchall())


def normalised(con, month, dimension, indicator):
    return _by_org(con, "SELECT org, normalised FROM normalised_indicators WHERE month = $m AND view = 'monthly' AND dimension = $d AND indicator = $i",
                   month, d=dimension, i=indicator)


def dimension(con, month, name, column="rank"):
    return _by_org(con, f"SELECT org, {column} FROM dimension_rankings WHERE month = $m AND view = 'monthly' AND dimension = $d", month, d=name)


def overall(con, month, column="rank"):
    return _by_org(con, f"SELECT org, {column} FROM influence_scores WHERE month = $m AND view = 'monthly'", month)


# ---------------------------------------------------------------------------------------- 8.1 normalisation

def test_zero_normalisation_divides_by_the_column_maximum(published):
    # num_operators 12, 12, 4, 4, 8: the minimum is not subtracted (4/12, not 0).
    assert normalised(published, DEC, "infra", "num_operators") == pytest.approx({"Alpha": 1.0, "Beta": 1.0, "Gamma": 1 / 3, "Delta": 1 / 3, "Epsilon": 2 / 3}, abs=1e-15)
    # Chips 4, 2, 1, 1, 1: a minimum of 1 still gives 1/4.
    assert normalised(published, DEC, "model", "num_adapted_chips") == {"Alpha": 1.0, "Beta": 0.5, "Gamma": 0.25, "Delta": 0.25, "Epsilon": 0.25}
    # A column equal for everyone normalises to 1 for everyone; an all-zero column is left out (NULL).
    assert set(normalised(published, DEC, "infra", "deep_learning_framework").values()) == {1.0}
    assert set(normalised(published, DEC, "data", "num_language").values()) == {None}


def test_observed_min_normalisation_subtracts_the_minimum(variant):
    assert normalised(variant, DEC, "infra", "num_operators") == {"Alpha": 1.0, "Beta": 1.0, "Gamma": 0.0, "Delta": 0.0, "Epsilon": 0.5}
    assert normalised(variant, DEC, "model", "num_adapted_chips") == pytest.approx({"Alpha": 1.0, "Beta": 1 / 3, "Gamma": 0.0, "Delta": 0.0, "Epsilon": 0.0}, abs=1e-15)
    # A constant column carries no information under the observed minimum: it is left out, not 0/0.
    assert set(normalised(variant, DEC, "infra", "deep_learning_framework").values()) == {None}


# ---------------------------------------------------------------------------------- 8.2 score, 8.3 dense rank

def test_dimension_score_is_the_mean_of_the_normalised_indicators(published):
    scores = dimension(published, DEC, "infra", "score")
    assert scores == pytest.approx({"Alpha": 1.0, "Beta": 1.0, "Gamma": (1 / 3 + 1 / 2 + 1) / 3, "Delta": (1 / 3 + 1 / 2 + 1) / 3,
                                    "Epsilon": (2 / 3 + 0 + 1) / 3}, abs=1e-15)
    # Data: only the operators column is non-zero, so the mean is over that one column (the rest are skipped).
    assert dimension(published, DEC, "data", "score") == pytest.approx({"Alpha": 1.0, "Beta": 1.0, "Gamma": 1 / 3, "Delta": 1 / 3, "Epsilon": 0.0}, abs=1e-15)


def test_weighted_dimension_score(variant):
    # Infra weights num_operators 3, support_lifecycle 1, others 0; observed-min values from the test above.
    scores = dimension(variant, DEC, "infra", "score")
    assert scores == pytest.approx({"Alpha": 1.0, "Beta": 1.0, "Gamma": (3 * 0 + 0.5) / 4, "Delta": (3 * 0 + 0.5) / 4, "Epsilon": (3 * 0.5 + 0) / 4}, abs=1e-15)
    assert dimension(variant, DEC, "infra") == {"Alpha": 1, "Beta": 1, "Epsilon": 2, "Gamma": 3, "Delta": 3}


def test_dimension_ranks_are_dense_over_ties(published):
    # Ties at the top and in the middle: the next distinct score gets the next integer (rank() would give 3, 5).
    assert dimension(published, DEC, "data") == {"Alpha": 1, "Beta": 1, "Gamma": 2, "Delta": 2, "Epsilon": 3}
    assert dimension(published, DEC, "model") == {"Alpha": 1, "Beta": 2, "Gamma": 3, "Delta": 3, "Epsilon": 3}
    assert dimension(published, DEC, "infra") == {"Alpha": 1, "Beta": 1, "Gamma": 2, "Delta": 2, "Epsilon": 3}
    assert dimension(published, DEC, "eval") == {"Alpha": 1, "Beta": 1, "Gamma": 2, "Delta": 2, "Epsilon": 3}
    assert dimension(published, JAN, "infra") == {"Alpha": 1, "Epsilon": 1, "Beta": 2, "Gamma": 2, "Delta": 2, "Newco": 3}


# ------------------------------------------------------------------------------------------ 8.5 overall score

def test_overall_score_sums_weight_over_log2_of_rank_plus_one(published):
    # Ranks (data, model, infra, eval) from the test above; weights 1/6, 1/2, 1/6, 1/6.
    w = (0.5 / 3, 0.5, 0.5 / 3, 0.5 / 3)
    score = lambda *ranks: sum(wd / log2(r + 1) for wd, r in zip(w, ranks))
    expected = {"Alpha": 1.0, "Beta": score(1, 2, 1, 1), "Gamma": score(2, 3, 2, 2), "Delta": score(2, 3, 2, 2), "Epsilon": score(3, 3, 3, 3)}
    assert overall(published, DEC, "score") == pytest.approx(expected, abs=1e-15)
    assert expected["Beta"] == pytest.approx(0.815464876785729) and expected["Epsilon"] == pytest.approx(0.5)
    assert overall(published, DEC, "data") == pytest.approx({"Alpha": 1.0, "Beta": 1.0, "Gamma": 1 / log2(3), "Delta": 1 / log2(3), "Epsilon": 0.5})


def test_overall_weights_apply_to_their_own_dimension(variant):
    # Variant ranks: data 1,1,2,2,3; model 1,2,3,3,3; infra (weighted) 1,1,3,3,2; eval 1,1,2,2,3.
    score = lambda d, m, i, e: 0.1 / log2(d + 1) + 0.2 / log2(m + 1) + 0.3 / log2(i + 1) + 0.4 / log2(e + 1)
    assert overall(variant, DEC, "score") == pytest.approx(
        {"Alpha": 1.0, "Beta": score(1, 2, 1, 1), "Gamma": score(2, 3, 3, 2), "Delta": score(2, 3, 3, 2), "Epsilon": score(3, 3, 2, 3)}, abs=1e-15)
    assert overall(variant, DEC) == {"Alpha": 1, "Beta": 2, "Gamma": 3, "Delta": 3, "Epsilon": 4}


def test_overall_ranks_are_dense_over_ties(published):
    # Gamma and Delta tie in every dimension, hence overall; Epsilon is next (rank() would say 5).
    assert overall(published, DEC) == {"Alpha": 1, "Beta": 2, "Gamma": 3, "Delta": 3, "Epsilon": 4}
    # January: A 1.0, Beta (1,2,2,2) 0.692, Epsilon (3,3,1,1) 0.667, Gamma = Delta (2,3,2,2) 0.565, Newco (2,3,3,3) 0.522.
    assert overall(published, JAN) == {"Alpha": 1, "Beta": 2, "Epsilon": 3, "Gamma": 4, "Delta": 4, "Newco": 5}


# ------------------------------------------------------------------------------------------------ 8.4 delta rank

def test_delta_rank_is_last_months_rank_minus_this_months(published):
    # Positive means moved up: Epsilon 4 -> 3 is +1, Gamma and Delta 3 -> 4 are -1; Newco is new: no delta.
    assert overall(published, JAN, "delta_rank") == {"Alpha": 0, "Beta": 0, "Epsilon": 1, "Gamma": -1, "Delta": -1, "Newco": None}
    # Infra: Epsilon 3 -> 1 (+2), Beta 1 -> 2 (-1).
    assert dimension(published, JAN, "infra", "delta_rank") == {"Alpha": 0, "Epsilon": 2, "Beta": -1, "Gamma": 0, "Delta": 0, "Newco": None}


def test_the_first_ranked_month_has_no_delta(published):
    assert set(overall(published, DEC, "delta_rank").values()) == {None}
    assert set(overall(published, DEC, "previous_month").values()) == {None}
    assert {str(v) for v in overall(published, JAN, "previous_month").values()} == {DEC}

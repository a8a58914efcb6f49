"""`osir explain` and `osir diff` against figures computed here, independently, from the raw indicator values.

The expected figures follow the published method (SPEC section 8): normalised = value / column max, a
dimension score is the mean of its normalised indicators (an all-zero column left out), dense rank,
overall = sum of w_d / log2(rank_d + 1) with w = (1/6, 1/2, 1/6, 1/6).
"""

import datetime as dt
import math

import duckdb
import polars as pl
import pytest
from dagster import materialize

from osir_assets.cli import main
from osir_assets.errors import OsirInputError
from osir_assets.explain.asset import score_explanations
from osir_assets.explain.queries import diff, explain
from osir_assets.lib.duckdb_resource import DuckDBStore

JANUARY, DECEMBER = dt.date(2025, 1, 1), dt.date(2024, 12, 1)
WEIGHTS = {"data": 0.5 / 3, "model": 0.5, "infra": 0.5 / 3, "eval": 0.5 / 3}
ORG = "Sample Org 3"


def expected_ranks(db, month: dt.date) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(normalised indicators, dimension scores and ranks, overall scores and ranks), from indicator_values alone."""
    with duckdb.connect(str(db), read_only=True) as con:
        values = con.execute("SELECT dimension, indicator, org, value FROM indicator_values WHERE month = $m AND view = 'monthly'", {"m": month}).pl()
        profile_columns = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'scoring_profile'").fetchall()}
        unscored = set()
        if "unscored_indicators" in profile_columns:  # optional indicators (GitHub contributors) the profile does not score
            unscored = {i for r in con.execute("SELECT DISTINCT unnest(unscored_indicators) FROM scoring_profile WHERE month = $m", {"m": month}).fetchall() for i in r}
    column_max = pl.col("value").max().over("dimension", "indicator")
    normalised = values.filter(~pl.col("indicator").is_in(list(unscored))).with_columns(
        column_max.alias("column_max"), pl.when(column_max > 0).then(pl.col("value") / column_max).alias("normalised")
    )
    dimensions = (
        normalised.group_by("dimension", "org").agg(pl.col("normalised").mean().alias("score"))
        .with_columns(pl.col("score").rank("dense", descending=True).over("dimension").cast(pl.Int64).alias("rank"))
    )
    overall = (
        dimensions.with_columns((pl.col("dimension").replace_strict(WEIGHTS) / (pl.col("rank") + 1).log(2)).alias("part"))
        .group_by("org").agg(pl.col("part").sum().alias("score"), pl.len().alias("dimensions"))
        .filter(pl.col("dimensions") == 4)
        .with_columns(pl.col("score").rank("dense", descending=True).cast(pl.Int64).alias("rank"))
    )
    return normalised, dimensions, overall


def test_explain_walks_the_score_back_to_hand_computed_figures(sample_db):
    normalised, dimensions, overall = expected_ranks(sample_db, JANUARY)
    with duckdb.connect(str(sample_db), read_only=True) as con:
        e = explain(con, ORG.lower(), JANUARY)  # names match case-insensitively
    assert e.org == ORG

    mine = overall.filter(pl.col("org") == ORG).row(0, named=True)
    assert e.overall["rank"][0] == mine["rank"]
    assert e.overall["score"][0] == pytest.approx(mine["score"], abs=1e-12)
    assert e.overall["organisations_ranked"][0] == overall.height

    # Dimensions: rank and score as computed here; the contributions add up to the overall score.
    by_dimension = dimensions.filter(pl.col("org") == ORG).sort("dimension")
    got = e.dimensions.sort("dimension")
    assert got["rank"].to_list() == by_dimension["rank"].to_list()
    assert got["score"].to_list() == pytest.approx(by_dimension["score"].to_list(), abs=1e-12)
    assert got["contribution"].sum() == pytest.approx(mine["score"], abs=1e-12)
    assert got["contribution"].to_list() == pytest.approx([WEIGHTS[d] / math.log2(r + 1) for d, r in zip(got["dimension"], got["rank"])])

    # Indicators: raw value, column max and the organisation holding it, normalised value; shares add up to the score.
    expected = normalised.filter(pl.col("org") == ORG).sort("dimension", "indicator")
    indicators = e.indicators.sort("dimension", "indicator")
    assert indicators.select("dimension", "indicator").equals(expected.select("dimension", "indicator"))
    assert indicators["value"].to_list() == expected["value"].to_list()
    assert indicators["column_max"].to_list() == expected["column_max"].to_list()
    assert indicators["normalised"].fill_null(-1).to_list() == pytest.approx(expected["normalised"].fill_null(-1).to_list(), abs=1e-12)
    holders = normalised.filter(pl.col("value") == pl.col("column_max")).group_by("dimension", "indicator").agg(pl.col("org"))
    checked = indicators.join(holders, on=["dimension", "indicator"])
    assert all(row["max_org"] in row["org"] for row in checked.iter_rows(named=True))
    shares = indicators.group_by("dimension").agg(pl.col("share").sum()).sort("dimension")
    assert shares["share"].to_list() == pytest.approx(by_dimension["score"].to_list(), abs=1e-12)

    # Repositories: the figures of the repositories behind a value add up to it; the largest comes first.
    repos = e.repositories
    assert set(repos["dimension"]) == {"data", "model"}
    assert (repos["figures_total"] == repos["value"]).all()
    with duckdb.connect(str(sample_db), read_only=True) as con:
        language = con.execute(
            "SELECT account || '/' || name AS repository, downloads_last_month FROM merged_model_repos WHERE month = $m AND org = $o AND modality = 'Language' ORDER BY 2 DESC",
            {"m": JANUARY, "o": ORG},
        ).pl()
    top = repos.filter((pl.col("dimension") == "model") & (pl.col("indicator") == "downloads_language")).sort("place")
    assert top["repository"][0] == language["repository"][0]
    assert top["figure"].to_list() == language["downloads_last_month"].head(top.height).cast(pl.Float64).to_list()
    assert top["repositories"][0] == language.height
    assert top["platform_records"][0][0]["record"].startswith(("HuggingFace", "ModelScope"))


def test_diff_names_the_dimensions_and_indicators_that_moved(sample_db):
    _, december_dimensions, december = expected_ranks(sample_db, DECEMBER)
    _, january_dimensions, january = expected_ranks(sample_db, JANUARY)
    with duckdb.connect(str(sample_db), read_only=True) as con:
        d = diff(con, ORG, DECEMBER, JANUARY)
    rank = lambda frame: frame.filter(pl.col("org") == ORG)["rank"][0]
    assert d.overall["rank_change"][0] == rank(december) - rank(january)
    moved = {r["dimension"]: r["rank_change"] for r in d.dimensions.iter_rows(named=True)}
    for dimension in WEIGHTS:
        before = december_dimensions.filter((pl.col("org") == ORG) & (pl.col("dimension") == dimension))["rank"][0]
        after = january_dimensions.filter((pl.col("org") == ORG) & (pl.col("dimension") == dimension))["rank"][0]
        assert moved[dimension] == before - after
    # At most three indicators per dimension, the largest change of contribution first.
    assert d.indicators.group_by("dimension").len()["len"].max() <= 3
    for _, rows in d.indicators.group_by("dimension"):
        changes = rows["share_change"].abs().to_list()
        assert changes == sorted(changes, reverse=True)
    assert set(d.indicators["moved_by"]) <= {"own value", "column maximum", "own value and column maximum", "unchanged", "new indicator", "indicator dropped"}


def test_cli_explain_and_diff(sample_db, capsys):
    _, _, overall = expected_ranks(sample_db, JANUARY)
    mine = overall.filter(pl.col("org") == ORG).row(0, named=True)
    assert main(["explain", ORG, "--month", "2025-01", "--db", str(sample_db)]) == 0
    out = capsys.readouterr().out
    assert f"Overall: rank {mine['rank']} of {overall.height}" in out and f"score {mine['score']:.4f}" in out
    assert "max set by" in out and "repositories behind the raw values" in out and "infra-summary.csv of 2025-01-14" in out

    assert main(["explain", ORG, "--month", "2025-01", "--dimension", "infra", "--db", str(sample_db)]) == 0
    out = capsys.readouterr().out
    assert "num_operators" in out and "downloads_language" not in out

    assert main(["diff", ORG, "--from", "2024-12", "--to", "2025-01", "--db", str(sample_db)]) == 0
    out = capsys.readouterr().out
    assert "Per dimension" in out and "moved_by" in out

    assert main(["explain", "Sample Org 33", "--month", "2025-01", "--db", str(sample_db)]) == 2
    assert "did you mean" in capsys.readouterr().err


def test_an_unknown_organisation_is_refused_with_suggestions(sample_db):
    with duckdb.connect(str(sample_db), read_only=True) as con, pytest.raises(OsirInputError, match="did you mean Sample Org"):
        explain(con, "Sample Orgg 3", JANUARY)


def test_score_explanations_asset_shows_the_breakdown_in_the_ui(sample_db):
    _, _, overall = expected_ranks(sample_db, JANUARY)
    leader = overall.sort("rank")["org"][0]
    result = materialize([score_explanations], partition_key="2025-01-01", resources={"duckdb": DuckDBStore(path=str(sample_db))})
    metadata = result.asset_materializations_for_node("score_explanations")[0].metadata
    assert metadata["leaders"].value == {"2025-01": leader}
    table = metadata["top_organisations"].value
    assert "### SAMPLE (synthetic data, not a real ranking): 2025-01 (monthly view)" in table and f"|    1 | {leader} |" in table
    assert table.count("\n| ") == overall.height + 1  # header + one row per ranked organisation (at most ten)

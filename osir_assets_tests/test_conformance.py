"""End to end from the raw per-platform JSONL, every published table is reproduced.

Ranks and delta ranks exactly, scores and normalised values within 1e-12, summaries equal. The published
files are read from ../shared/osir-lmts at run time.
"""

import datetime as dt
import io

import duckdb
import polars as pl
import pytest

from osir_assets.exports.published_layout import month_files

TABLES = ["data-summary.csv", "model-summary.csv", "data-rank.csv", "model-rank.csv", "infra-rank.csv", "eval-rank.csv", "overall-rank.csv"]


def published_months(root):
    return [f for f in sorted((root / "data").iterdir()) if (f / "overall-rank.csv").exists()]


def compare(published: pl.DataFrame, ours: pl.DataFrame, name: str) -> None:
    assert published.columns == ours.columns, f"{name}: columns differ"
    assert published["org"].to_list() == ours["org"].to_list(), f"{name}: organisations or their order differ"
    for column in published.columns[1:]:
        expected, actual = published[column], ours[column]
        if column in ("rank", "delta rank") or name.endswith("summary.csv"):
            assert expected.cast(pl.Float64).to_list() == actual.cast(pl.Float64).to_list(), f"{name}: {column} differs"
        else:
            difference = (expected.cast(pl.Float64) - actual.cast(pl.Float64)).abs().max()
            assert difference is None or difference <= 1e-12, f"{name}: {column} differs by {difference}"


def test_every_published_table_is_reproduced(osir_lmts_root, published_db):
    folders = published_months(osir_lmts_root)
    assert folders, "no published month with rank files"
    checked, identical = 0, 0
    with duckdb.connect(str(published_db), read_only=True) as con:
        for folder in folders:
            ours = month_files(con, dt.date.fromisoformat(folder.name).replace(day=1))
            for name in TABLES:
                text = (folder / name).read_text(encoding="utf-8-sig")
                assert name in ours, f"{folder.name}/{name} was not produced"
                compare(pl.read_csv(io.StringIO(text)), pl.read_csv(io.StringIO(ours[name])), f"{folder.name}/{name}")
                checked += 1
                identical += text == ours[name]
    assert checked == len(folders) * len(TABLES)
    # Same number format as the published files: the text is identical, not just the values.
    assert identical == checked


@pytest.mark.parametrize("dimension", ["data", "model", "infra", "eval"])
def test_ranks_are_dense_and_ties_share_a_rank(published_db, dimension):
    with duckdb.connect(str(published_db), read_only=True) as con:
        rows = con.execute(
            "SELECT month, view, score, rank FROM dimension_rankings WHERE dimension = $d ORDER BY month, view, score DESC", {"d": dimension}
        ).pl()
    for (_, _), group in rows.group_by(["month", "view"], maintain_order=True):
        distinct_scores = group["score"].unique(maintain_order=True)
        assert sorted(group["rank"].unique().to_list()) == list(range(1, distinct_scores.len() + 1))
        assert group.group_by("score").agg(pl.col("rank").n_unique())["rank"].max() == 1

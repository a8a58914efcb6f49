"""Output that people read: numbers as people write them, headings that say SAMPLE, months that say why they are not ranked.

Expected figures are copied by hand from the published OSIR-LMTS files (``data/2025-01-14/overall-rank.csv``,
``model-summary.csv``, ``HuggingFace/raw-models-info.jsonl``), never from OSIR's own output.
"""

import datetime as dt
import re

import duckdb
import polars as pl
from dagster import AssetKey, materialize

from osir_assets.cli import main
from osir_assets.definitions import build_resources
from osir_assets.exports.report import build_report
from osir_assets.explain.asset import score_explanations
from osir_assets.lib.duckdb_resource import DuckDBStore
from osir_assets.lib.formatting import count, decimals, formatted, measure, signed_count, signed_decimals, text_table
from osir_assets.quality.findings import ERROR, WARN, Finding
from osir_assets.quality.report import findings_summary
from osir_assets.runner import materialize_months
from osir_assets.sample import sample_archive

JANUARY = dt.date(2025, 1, 1)
SCIENTIFIC = re.compile(r"\d[eE][+-]?\d")
FLOAT_COUNTER = re.compile(r"(?<![\d.,])\d+\.0(?!\d)")  # '122.0'
SAMPLE = "SAMPLE (synthetic data, not a real ranking)"


def printed(capsys, *args) -> str:
    assert main([str(a) for a in args]) == 0
    return capsys.readouterr().out


def row(out: str, *first_cells: str) -> list[str]:
    """The cells of the table row that starts with these cells (spaces around cells dropped)."""
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[: len(first_cells)] == list(first_cells):
            return cells
    raise AssertionError(f"no row {first_cells} in:\n{out}")


def assert_readable_numbers(out: str) -> None:
    """No scientific notation, no '122.0', and every number in a table cell grouped by thousands."""
    assert not SCIENTIFIC.search(out), SCIENTIFIC.search(out)
    assert not FLOAT_COUNTER.search(out), FLOAT_COUNTER.search(out)
    cells = [c.strip() for line in out.splitlines() if line.startswith("|") for c in line.strip("|").split("|")]
    numbers = [c for c in cells if re.fullmatch(r"[+-]?[\d,]+(\.\d+)?", c)]
    assert numbers
    badly_grouped = [c for c in numbers if not re.fullmatch(r"[+-]?\d{1,3}(,\d{3})*(\.\d+)?", c)]
    assert not badly_grouped


def test_the_formatting_block_writes_numbers_as_people_do():
    frame = pl.DataFrame({
        "org": ["Meta", "Ali", None],
        "downloads": [22939093.0, 122.0, None],
        "score": [0.82737718, 1.0, -0.00001],
        "delta": [1, -3, None],
        "change": [0.012345, -0.04, 0.0],
        "value": [158038974.0, 0.5, 3.0],
    })
    table = text_table(frame, {"downloads": count, "score": decimals(4), "delta": signed_count, "change": signed_decimals(4), "value": measure})
    assert table.splitlines() == [
        "| org  |  downloads |  score | delta |  change |       value |",
        "|------|-----------:|-------:|------:|--------:|------------:|",
        "| Meta | 22,939,093 | 0.8274 |    +1 | +0.0123 | 158,038,974 |",
        "| Ali  |        122 | 1.0000 |    -3 | -0.0400 |      0.5000 |",
        "|      |            | 0.0000 |   new |  0.0000 |           3 |",
    ]
    assert formatted(1234567890123, count) == "1,234,567,890,123"
    assert formatted(-1234.0, count) == "-1,234"
    assert formatted(999, count) == "999"
    assert formatted(0.5, decimals(3)) == "0.500"
    assert formatted(None, count) == ""
    assert text_table(frame.head(0).select("org", "score"), {"score": decimals(4)}).splitlines() == ["| org | score |", "|-----|------:|"]


def test_rank_table_prints_the_published_scores_with_fixed_decimals(published_db, capsys):
    out = printed(capsys, "rank", "--month", "2025-01", "--db", published_db)
    assert out.splitlines()[0] == "OSIR overall ranking, 2025-01 (monthly)"
    # overall-rank.csv of 2025-01-14: Meta,0.6309297535714575,1.0,1.0,0.3333333333333333,0.8273771811507985,1,1
    assert row(out, "1", "Meta") == ["1", "Meta", "0.8274", "+1", "0.631", "1.000", "1.000", "0.333"]
    # Ali,0.3562071871080222,0.6309297535714575,0.3333333333333333,0.31546487678572877,0.4829657763235762,4,-3
    assert row(out, "4", "Ali") == ["4", "Ali", "0.4830", "-3", "0.356", "0.631", "0.333", "0.315"]
    assert_readable_numbers(out)


def test_explain_prints_counters_with_separators(published_db, capsys):
    out = printed(capsys, "explain", "Meta", "--month", "2025-01", "--dimension", "model", "--top", "1", "--db", published_db)
    assert out.splitlines()[0] == "OSIR score of Meta, 2025-01 (monthly)"
    assert "Overall: rank 1 of 12, +1 since 2024-12; score 0.8274 " in out
    # model-summary.csv of 2025-01-14: Meta's downloads_language 23206038 and num_language 114 (the column maxima)
    # over 18 model indicators: share = 1 / 18.
    assert row(out, "downloads_language", "23,206,038") == ["downloads_language", "23,206,038", "1", "23,206,038", "Meta", "1.0000", "1.0000", "0.0556", "repositories"]
    # raw-models-info.jsonl: meta-llama/Llama-3.1-8B-Instruct, downloads_last_month 5161161, is the largest of the 114.
    assert row(out, "downloads_language", "1") == [
        "downloads_language", "1", "meta-llama/Llama-3.1-8B-Instruct", "5,161,161", "HuggingFace meta-llama/Llama-3.1-8B-Instruct (5,161,161)",
        "114", "23,206,038", "23,206,038",
    ]
    assert_readable_numbers(out)


def test_diff_prints_signed_changes_and_grouped_counters(published_db, capsys):
    out = printed(capsys, "diff", "Meta", "--from", "2024-12", "--to", "2025-01", "--db", published_db)
    # overall-rank.csv: Meta 0.6428420579365273, rank 2 (2024-12-13) -> 0.8273771811507985, rank 1 (2025-01-14)
    assert "Overall: rank 2 -> 1 (+1, positive = moved up); score 0.6428 -> 0.8274 (+0.1845)" in out
    # model rank 2 -> 1: component 0.6309297535714575 -> 1.0, weight 1/2
    assert row(out, "model")[1:4] == ["2", "1", "+1"] and row(out, "model")[-1] == "+0.1845"
    assert_readable_numbers(out)


def headings(capsys, db, org: str) -> list[str]:
    """The first line of rank, explain, diff, and the report's title and main heading, for 2025-01."""
    lines = [
        printed(capsys, "rank", "--month", "2025-01", "--db", db).splitlines()[0],
        printed(capsys, "explain", org, "--month", "2025-01", "--db", db).splitlines()[0],
        printed(capsys, "diff", org, "--from", "2024-12", "--to", "2025-01", "--db", db).splitlines()[0],
    ]
    with duckdb.connect(str(db), read_only=True) as con:
        page = build_report(con, JANUARY)
    return lines + [re.search(r"<title>(.*?)</title>", page)[1], re.search(r"<h1>(.*?)</h1>", page)[1]]  # the page's, not the charts'


def test_output_of_the_sample_says_sample(sample_db, capsys):
    assert headings(capsys, sample_db, "Sample Org 3") == [
        f"{SAMPLE}: OSIR overall ranking, 2025-01 (monthly)",
        f"{SAMPLE}: OSIR score of Sample Org 3, 2025-01 (monthly)",
        f"{SAMPLE}: OSIR rank of Sample Org 3: 2024-12 -> 2025-01 (monthly)",
        f"{SAMPLE}: OSIR 2025-01",
        f"{SAMPLE}: OSIR influence ranking, 2025-01",
    ]
    table = materialize([score_explanations], partition_key="2025-01-01", resources={"duckdb": DuckDBStore(path=str(sample_db))})
    assert f"### {SAMPLE}: 2025-01 (monthly view)" in table.asset_materializations_for_node("score_explanations")[0].metadata["top_organisations"].value
    with duckdb.connect(str(sample_db), read_only=True) as con:  # what the headings follow: the archive each month came from
        assert con.execute("SELECT bool_and(sample), count(DISTINCT archive) FROM month_snapshot").fetchone() == (True, 1)


def test_output_of_a_real_archive_does_not_say_sample(published_db, capsys):
    assert headings(capsys, published_db, "Meta") == [
        "OSIR overall ranking, 2025-01 (monthly)",
        "OSIR score of Meta, 2025-01 (monthly)",
        "OSIR rank of Meta: 2024-12 -> 2025-01 (monthly)",
        "OSIR 2025-01",
        "OSIR influence ranking, 2025-01",
    ]
    with duckdb.connect(str(published_db), read_only=True) as con:
        archives = con.execute("SELECT DISTINCT archive, sample FROM month_snapshot").fetchall()
    assert len(archives) == 1 and archives[0][0].endswith("osir-lmts") and archives[0][1] is False


def test_report_numbers_are_grouped(published_db):
    with duckdb.connect(str(published_db), read_only=True) as con:
        page = build_report(con, JANUARY)
    assert 'title="downloads_language: value 23,206,038 of max 23,206,038 (Meta)"' in page
    assert "<td>0.8274</td>" in page and not SCIENTIFIC.search(page.split("</style>")[1])


def test_rank_of_a_month_that_is_not_ranked_says_why(sample_db, capsys):
    # The sample's first curated infra-summary.csv is dated 2024-12-14: November ranks nobody.
    assert main(["rank", "--month", "2024-11", "--db", str(sample_db)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"osir: error: {sample_db}: no monthly overall ranking for 2024-11: materialised, but no curated infrastructure table "
        "is in force for it (the first one is for 2024-12; that table fixes which organisations a month ranks)"
    )
    assert main(["rank", "--month", "2023-05", "--db", str(sample_db)]) == 2
    assert "no monthly overall ranking for 2023-05: not materialised" in capsys.readouterr().err
    assert main(["explain", "Sample Org 3", "--month", "2024-11", "--db", str(sample_db)]) == 2
    assert "2024-11: materialised, but no curated infrastructure table is in force" in capsys.readouterr().err


def test_rank_of_a_month_collected_but_not_scored_says_so(tmp_path, capsys):
    db = tmp_path / "osir.duckdb"
    # What a live month looks like while platforms are still to collect: its snapshot and registry are in, no scores.
    materialize_months([JANUARY], build_resources(str(db), str(sample_archive())), selection=[AssetKey("month_snapshot"), AssetKey("curated_infra_indicators")])
    assert main(["rank", "--month", "2025-01", "--db", str(db)]) == 2
    assert "no monthly overall ranking for 2025-01: materialised, but not scored yet" in capsys.readouterr().err


def test_a_waived_error_is_printed_as_waived(published_db, capsys):
    out = printed(capsys, "rank", "--month", "2025-01", "--db", published_db)
    # config: the published archive's ModelScope total of -29 (2025-01) is waived in osir-lmts-waivers.yaml.
    assert "WAIVED ERROR: modelscope_model_repos.non_negative (1)" in out
    assert "non_negative" not in next(line for line in out.splitlines() if line.startswith("WARN:"))
    assert "  waiver of ERROR modelscope_model_repos.non_negative: The published crawl scraped" in out

    findings = [
        Finding("non_negative", ERROR, False, "non_negative: 1", count=1, waived_by="checked"),
        Finding("downloads_jump", WARN, False, "downloads_jump: 1234", count=1234),
        Finding("repeated_records", WARN, False, "repeated_records: 2", count=2, waived_by="known"),
        Finding("schema", ERROR, True, "schema: ok"),
    ]
    assert findings_summary(findings) == "warnings: downloads_jump (1,234); waived: ERROR non_negative (1), WARN repeated_records (2)"

"""`osir search` as a user meets it: the shared cases, the terminal table, clear refusals."""

import json

import duckdb
import pytest

from osir_assets.cli import main
from osir_assets.search.cli import as_text
from osir_assets.search.query import Filter, Term, parse
from osir_assets.search.sql import search
from osir_assets_tests.search_fixtures import CASES, build_search_db, case_id


@pytest.fixture(scope="module")
def search_db(tmp_path_factory):
    return build_search_db(tmp_path_factory.mktemp("search") / "osir.duckdb")


def osir_search(capsys, db, *args) -> tuple[int, str, str]:
    code = main(["search", *args, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_search_case_from_the_command_line(case, search_db, capsys):
    month = ["--month", case["month"]] if "month" in case else []
    code, out, err = osir_search(capsys, search_db, case["query"], "--table", case["table"], "--format", "json", "--limit", "1000", *month)
    if "error" in case:
        assert code == 2 and out == ""
        assert err.startswith("osir: error: " + case["error"]) and len(err.strip().splitlines()) == 1
        return
    assert code == 0, err
    found = json.loads(out)
    assert sorted(r["name"] for r in found["rows"]) == sorted(case["names"])
    assert found["count"] == len(case["names"]) and found["query"] == case["query"] and found["table"] == case["table"]
    assert found["month"] == case.get("month", "2025-03")
    if "notice" in case:
        assert err.startswith("osir: note: " + case["notice"])
    else:
        assert err == ""


def test_json_rows_carry_every_column(search_db, capsys):
    code, out, _ = osir_search(capsys, search_db, "glm", "--table", "scorecards", "--format", "json")
    assert code == 0
    assert json.loads(out)["rows"] == [{
        "name": "ZhipuAI/glm-4-9b", "month": "2025-03-01", "model": "ZhipuAI/glm-4-9b", "org": "Zhipu AI", "platform": "ModelScope",
        "popularity": 7.0, "activity": 6.5, "operational": 7.0, "security": 8.0, "score": 7.1, "coverage": 0.9, "flags": [], "partial": False,
    }]


def test_terminal_table_shows_the_first_rows_and_counts_them_all(search_db, capsys):
    code, out, _ = osir_search(capsys, search_db, "llama", "--table", "models", "--limit", "1")
    assert code == 0
    assert out.splitlines() == [
        "name                              org   platform     modality  downloads_last_month  likes",
        "meta-llama/Llama-3.1-8B-Instruct  Meta  HuggingFace  Language             6,100,000  3,900",
        "2 found in models, 2025-03 (showing the first 1)",
    ]


def test_matches_are_highlighted_at_a_terminal(search_db):
    with duckdb.connect(str(search_db), read_only=True) as con:
        found = search(con, "llama-2-(7|13)b @precision:4BIT; falcon", "leaderboard")
    lines = as_text(found, colour=True).splitlines()
    assert lines[1].startswith("tiiuae/\x1b[7mfalcon\x1b[27m-40b ")  # higher average first
    assert lines[2].startswith("TheBloke/\x1b[7mLlama-2-13B\x1b[27m-GPTQ ")
    assert "  \x1b[7m4bit\x1b[27m " in lines[2]  # the filter's value, in its column
    assert "\x1b[" not in as_text(found, colour=False)


def test_values_are_bound_never_pasted_into_sql(search_db, capsys):
    for query in ("o'brien", "@org:x'); DROP TABLE merged_model_repos; --", '"name"'):
        code, out, _ = osir_search(capsys, search_db, query, "--table", "models")
        assert code == 0 and out.splitlines()[-1] == "0 found in models, 2025-03"
    with duckdb.connect(str(search_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM merged_model_repos").fetchone()[0] == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["", "--table", "models"], "osir: error: empty search query"),
        ([" ; ", "--table", "models"], "osir: error: empty search query"),
        (["llama", "--table", "models", "--month", "2024-01"], "osir: error: models has no rows for 2024-01 (its months: 2025-03..2025-03)"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(search_db, capsys, args, message):
    code, out, err = osir_search(capsys, search_db, *args)
    assert code == 2 and out == "" and err.startswith(message) and len(err.strip().splitlines()) == 1


def test_a_table_missing_from_the_database_names_what_makes_it(tmp_path, capsys):
    db = tmp_path / "osir.duckdb"
    duckdb.connect(str(db)).close()
    code, _, err = osir_search(capsys, db, "llama", "--table", "leaderboard")
    assert code == 2
    assert err.strip() == "osir: error: the database has no leaderboard_models table to search as leaderboard; `osir analytics --leaderboard PATH` makes it"
    code, _, err = osir_search(capsys, db, "llama", "--table", "scorecards")
    assert "no model_scorecards table" in err and "the model scorecard assets" in err


def test_limit_must_be_a_positive_number(search_db, capsys):
    with pytest.raises(SystemExit):
        main(["search", "llama", "--limit", "0", "--db", str(search_db)])
    assert "'0' is not a positive number of rows" in capsys.readouterr().err


def test_the_seed_example_parses_into_two_terms_of_text_and_filters():
    assert parse("meta @architecture:llama; 7b @license:apache") == [
        Term("meta", False, (Filter("architecture", "llama"),)),
        Term("7b", False, (Filter("license", "apache"),)),
    ]
    assert parse("@Type:chat  llama-2-(7|13)b   x ;") == [Term("llama-2-(7|13)b x", True, (Filter("type", "chat"),))]

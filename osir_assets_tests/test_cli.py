"""The osir command as a user meets it: clear one-line errors, nothing half-written, readable tables."""

import subprocess
import sys

import pytest

from osir_assets.cli import main


def osir(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "osir_assets.cli", *map(str, args)], capture_output=True, text=True, timeout=300)


def test_reproduce_writes_the_published_layout_and_rank_prints_it(sample_copy, tmp_path):
    db, out = tmp_path / "osir.duckdb", tmp_path / "out"
    done = osir("reproduce", sample_copy, "--out", out, "--db", db)
    assert done.returncode == 0, done.stderr
    assert "2024-12:" in done.stderr and "2025-01:" in done.stderr  # progress month by month
    assert sorted(p.name for p in (out / "2025-01-14").iterdir()) == sorted(
        ["data-summary.csv", "model-summary.csv", "data-rank.csv", "model-rank.csv", "infra-rank.csv", "eval-rank.csv", "overall-rank.csv",
         "data-accumulated-summary.csv", "model-accumulated-summary.csv", "data-accumulated-rank.csv", "model-accumulated-rank.csv",
         "overall-accumulated-rank.csv"]
    )
    assert not (out / "2024-11-14").exists()  # an unranked month has no files
    header = (out / "2025-01-14" / "overall-rank.csv").read_text().splitlines()[0]
    assert header == "org,data,model,infra,eval,score,rank,delta rank"
    assert "delta rank" not in (out / "2024-12-14" / "overall-rank.csv").read_text()  # no previous ranking to compare with

    shown = osir("rank", "--month", "2025-01", "--db", db)
    assert shown.returncode == 0 and "OSIR overall ranking, 2025-01 (monthly)" in shown.stdout
    assert shown.stdout.count("Sample Org") == 6
    data = osir("rank", "--month", "2025-01", "--dimension", "data", "--accumulated", "--db", db)
    assert data.returncode == 0 and "(accumulated)" in data.stdout


def _fails_cleanly(capsys, args, *expected):
    code = main([str(a) for a in args])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err and err[-1].startswith("osir: error: ")
    for text in expected:
        assert text in err[-1]


def test_missing_folder(capsys, tmp_path):
    _fails_cleanly(capsys, ["reproduce", tmp_path / "nope", "--out", tmp_path / "out", "--db", tmp_path / "db.duckdb"], "nope", "not found")
    assert not (tmp_path / "out").exists() and not (tmp_path / "db.duckdb").exists()


def test_malformed_jsonl_line_names_file_and_line(capsys, sample_copy, tmp_path):
    path = sample_copy / "data" / "2024-12-14" / "ModelScope" / "raw-models-info.jsonl"
    lines = path.read_text().splitlines()
    lines[6] = lines[6][:-12]  # truncated record on line 7
    path.write_text("\n".join(lines) + "\n")
    _fails_cleanly(capsys, ["reproduce", sample_copy, "--out", tmp_path / "out", "--db", tmp_path / "db.duckdb"], f"{path}:7:", "malformed JSON")
    assert not (tmp_path / "out").exists() and not (tmp_path / "db.duckdb").exists()


@pytest.mark.parametrize(
    ("platform", "line", "old", "new", "field"),
    [
        pytest.param("HuggingFace", 3, '"downloads_last_month":', '"downloads":', "downloads_last_month", id="required-field-missing"),
        pytest.param("OpenDataLab", 1, '"total_downloads":', '"total_downloads":"12k","was":', "total_downloads", id="counter-not-a-number"),
    ],
)
def test_a_bad_record_names_file_line_and_field(capsys, sample_copy, tmp_path, platform, line, old, new, field):
    path = sample_copy / "data" / "2025-01-14" / platform / "raw-datasets-info.jsonl"
    lines = path.read_text().splitlines()
    lines[line - 1] = lines[line - 1].replace(old, new)
    path.write_text("\n".join(lines) + "\n")
    _fails_cleanly(capsys, ["reproduce", sample_copy, "--out", tmp_path / "out", "--db", tmp_path / "db.duckdb"], f"{path}:{line}:", field)


def test_a_bad_github_record_is_found_before_anything_is_written(capsys, sample_copy, tmp_path):
    folder = sample_copy / "data" / "2025-01-14" / "GitHub"
    folder.mkdir(exist_ok=True)
    good = '{"org": "Sample Org 1", "repo": "sample-org-1/trainer", "purpose": "infra", "stars": 10, "active_contributors": 2}'
    (folder / "raw-repos-info.jsonl").write_text(good + "\n" + good.replace('"active_contributors": 2', '"active_contributors": "two"') + "\n")
    _fails_cleanly(capsys, ["reproduce", sample_copy, "--out", tmp_path / "out", "--db", tmp_path / "db.duckdb"], f"{folder / 'raw-repos-info.jsonl'}:2:", "active_contributors")
    assert not (tmp_path / "out").exists() and not (tmp_path / "db.duckdb").exists()


def test_malformed_registry(capsys, sample_copy, tmp_path):
    (sample_copy / "config" / "org-links.json").write_text('{"A": {"HuggingFace": ["x"]},\n "B": }')
    _fails_cleanly(capsys, ["reproduce", sample_copy, "--out", tmp_path / "out", "--db", tmp_path / "db.duckdb"], "org-links.json:2:")


def test_a_bad_registry_is_reported_before_a_bad_archive_file(capsys, sample_copy, tmp_path):
    # Both are checked before anything is written; the registry, which the archive is read against, is reported first.
    links = sample_copy / "config" / "org-links.json"
    good = links.read_text()
    links.write_text('{"A": {"HuggingFace": ["x"]},\n "B": }')
    path = sample_copy / "data" / "2024-12-14" / "ModelScope" / "raw-models-info.jsonl"
    path.write_text(path.read_text()[:-12] + "\n")
    _fails_cleanly(capsys, ["reproduce", sample_copy, "--out", tmp_path / "out", "--db", tmp_path / "db.duckdb"], "org-links.json:2:")
    links.write_text(good)
    _fails_cleanly(capsys, ["reproduce", sample_copy, "--out", tmp_path / "out", "--db", tmp_path / "db.duckdb"], f"{path}:", "malformed JSON")
    assert not (tmp_path / "out").exists() and not (tmp_path / "db.duckdb").exists()


def test_rank_without_a_database(capsys, tmp_path):
    _fails_cleanly(capsys, ["rank", "--db", tmp_path / "none.duckdb"], "run `osir run`")


def test_rank_of_a_month_that_is_not_there(capsys, sample_db):
    _fails_cleanly(capsys, ["rank", "--month", "2023-05", "--db", sample_db], "2023-05")


def test_month_argument_is_checked(capsys):
    with pytest.raises(SystemExit):
        main(["rank", "--month", "May"])
    assert "not a month YYYY-MM" in capsys.readouterr().err

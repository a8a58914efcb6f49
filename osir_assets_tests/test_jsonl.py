"""Reading a raw archive file: the values a month is built from, and the line named when a file is bad.

The reader parses straight into the schema and hands a file it cannot take that way to the exact reader;
these cases pin what the user sees either way. A source step stages a strict file through DuckDB's JSON
reader instead of polars: the last tests pin that it stages the same rows, numbered in file order.
"""

import datetime as dt

import duckdb
import pytest

from osir_assets.errors import OsirInputError
from osir_assets.lib import jsonl
from osir_assets.lib.duckdb_store import transaction
from osir_assets.lib.jsonl import check_jsonl, read_jsonl
from osir_assets.sources.archive import RAW_SCHEMA, stage_raw_snapshot

REQUIRED = ["repo", "model_name", "date_crawl", "downloads_last_month"]
GOOD = '{"repo": "acme", "model_name": "m1", "downloads_last_month": 1200, "likes": -1, "date_crawl": "2025-03-14", "metadata": {"tree": ["9"]}}'


def read(tmp_path, *lines: str):
    path = tmp_path / "raw-models-info.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path, read_jsonl(path, RAW_SCHEMA, REQUIRED)


def test_values_come_through_typed_in_file_order_blank_lines_skipped(tmp_path):
    _, frame = read(tmp_path, GOOD, "", '{"repo": "acme", "model_name": "m2", "downloads_last_month": 7, "likes": null, "date_crawl": "2025-03-13", "org": "Acme"}')
    assert frame.columns == list(RAW_SCHEMA)
    assert frame.select("model_name", "downloads_last_month", "likes", "date_crawl", "org").rows() == [
        ("m1", 1200, -1, dt.date(2025, 3, 14), None),
        ("m2", 7, None, dt.date(2025, 3, 13), "Acme"),
    ]


def test_a_counter_written_as_a_string_of_digits_is_still_read(tmp_path):
    _, frame = read(tmp_path, GOOD, GOOD.replace('"downloads_last_month": 1200', '"downloads_last_month": "35"'))
    assert frame.get_column("downloads_last_month").to_list() == [1200, 35]


@pytest.mark.parametrize(
    ("bad_line", "expected"),
    [
        pytest.param(GOOD.replace("1200,", "1200,,"), ":2: malformed JSON", id="extra-comma"),
        pytest.param(GOOD[:-1] + ",}", ":2: malformed JSON", id="trailing-comma"),
        pytest.param("[1, 2]", ":2: a JSON object was expected", id="not-an-object"),
        pytest.param(GOOD.replace('"repo": "acme", ', ""), ":2: required field 'repo' is missing or null", id="required-missing"),
        pytest.param(GOOD.replace('"likes": -1', '"likes": 9223372036854775808'), ":2: field 'likes' is not a valid Int64", id="beyond-int64"),
        pytest.param(GOOD.replace("2025-03-14", "2025-02-30"), ":2: field 'date_crawl' is not a valid Date", id="no-such-day"),
    ],
)
def test_a_bad_second_line_is_named(tmp_path, bad_line, expected):
    with pytest.raises(OsirInputError) as raised:
        read(tmp_path, GOOD, bad_line, GOOD)
    assert str(raised.value).startswith(f"{tmp_path / 'raw-models-info.jsonl'}{expected}")


def test_a_file_of_blank_lines_is_refused_not_read_as_empty(tmp_path):
    with pytest.raises(OsirInputError, match=r"raw-models-info.jsonl: unreadable JSON lines"):
        read(tmp_path, "", "  ")


# -- the source steps' reader: DuckDB straight into the staging table, for strict files ----------------

def staged_snapshot(path):
    """What a source step stages from the file, as March's rows after February's (inside the step's
    transaction, on a connection that does not preserve insertion order, as the run's has it):
    (account, name, record_no, downloads, likes, date_crawl, details, month, ...) rows of March."""
    con = duckdb.connect(config={"preserve_insertion_order": False})
    with transaction(con):
        for month in (dt.date(2025, 2, 1), dt.date(2025, 3, 1)):
            stage_raw_snapshot(con, "_staged", month, path, "HuggingFace", "model", dt.date(2025, 3, 14))
        february = con.execute("SELECT list(record_no ORDER BY record_no) FROM _staged WHERE month = '2025-02-01'").fetchone()[0]
        rows = con.execute(
            "SELECT account, name, record_no, downloads_last_month, likes, date_crawl, details, month, snapshot_date, platform, kind "
            "FROM _staged WHERE month = '2025-03-01' ORDER BY record_no"
        ).fetchall()
    assert february == [row[2] for row in rows]  # each month numbered from 1
    return rows


def expected_rows(*rows):
    return [(*row, dt.date(2025, 3, 1), dt.date(2025, 3, 14), "HuggingFace", "model") for row in rows]


def test_a_strict_file_is_staged_by_duckdb_numbered_in_file_order(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl, "BLOCK_BYTES", 200)  # several blocks: the check reads one block at a time
    lines = [GOOD.replace('"m1"', f'"m{i}"').replace("1200", str(1000 - i)) for i in range(1, 9)]
    lines.insert(3, "")
    lines.append('{"repo": "acme", "model_name": "m9", "downloads_last_month": 5, "date_crawl": "2025-03-13", "details": "{\\"tags\\": [\\"llm\\"]}"}')
    path, _ = read(tmp_path, *lines)
    assert check_jsonl(path, RAW_SCHEMA, REQUIRED) is True
    assert staged_snapshot(path) == expected_rows(
        *[("acme", f"m{i}", i, 1000 - i, -1, dt.date(2025, 3, 14), None) for i in range(1, 9)],
        ("acme", "m9", 9, 5, None, dt.date(2025, 3, 13), '{"tags": ["llm"]}'),
    )


def test_a_file_only_the_exact_reader_takes_is_staged_through_it_with_the_same_rows(tmp_path):
    path, _ = read(tmp_path, GOOD, GOOD.replace('"model_name": "m1"', '"model_name": "m2"').replace("1200", '"35"'))
    assert check_jsonl(path, RAW_SCHEMA, REQUIRED) is False
    assert staged_snapshot(path) == expected_rows(("acme", "m1", 1, 1200, -1, dt.date(2025, 3, 14), None), ("acme", "m2", 2, 35, -1, dt.date(2025, 3, 14), None))


def test_a_line_longer_than_duckdb_reads_sends_the_file_to_the_exact_reader(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl, "MAX_RECORD_BYTES", 150)
    long_line = GOOD.replace('"m1"', '"m2"').replace('"metadata": {"tree": ["9"]}', '"details": "' + "x" * 200 + '"')
    path, _ = read(tmp_path, GOOD, long_line)
    assert check_jsonl(path, RAW_SCHEMA, REQUIRED) is False
    assert staged_snapshot(path) == expected_rows(("acme", "m1", 1, 1200, -1, dt.date(2025, 3, 14), None), ("acme", "m2", 2, 1200, -1, dt.date(2025, 3, 14), "x" * 200))


def test_the_check_names_a_bad_line_in_a_later_block(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl, "BLOCK_BYTES", 200)
    path = tmp_path / "raw-models-info.jsonl"
    path.write_text("\n".join([GOOD] * 6 + [GOOD.replace("1200,", "1200,,")] + [GOOD]) + "\n")
    with pytest.raises(OsirInputError) as raised:
        check_jsonl(path, RAW_SCHEMA, REQUIRED)
    assert str(raised.value).startswith(f"{path}:7: malformed JSON")


@pytest.mark.parametrize("kind", ["model", "dataset"])
def test_both_readers_stage_every_column_alike(tmp_path, monkeypatch, kind):
    """Every snapshot column, with its type, whether DuckDB or the exact reader read the file."""
    path = tmp_path / f"raw-{kind}s-info.jsonl"
    path.write_text(
        f'{{"org": "Acme", "repo": "acme", "{kind}_name": "first", "downloads_last_month": 12, "total_downloads": 340, "likes": 5, "community": 2, '
        f'"descendants": 1, "dataset_usage": 3, "date_crawl": "2025-03-14", "link": "https://hf.co/acme/first", "details": "{{}}"}}\n'
        f'{{"repo": "acme", "{kind}_name": "second", "downloads_last_month": 0, "date_crawl": "2025-03-13"}}\n'
    )

    def staged(strict: bool):
        monkeypatch.setattr("osir_assets.sources.archive.check_jsonl", lambda *args: strict)
        con = duckdb.connect()
        with transaction(con):
            stage_raw_snapshot(con, "_staged", dt.date(2025, 3, 1), path, "HuggingFace", kind, dt.date(2025, 3, 14))
        return con.execute("DESCRIBE _staged").fetchall(), con.execute("SELECT * FROM _staged ORDER BY record_no").fetchall()

    columns, rows = staged(strict=True)
    assert (columns, rows) == staged(strict=False)
    assert [c[0] for c in columns] == [
        "month", "snapshot_date", "record_no", "platform", "kind", "account", "name", "org", "link", "date_crawl",
        "downloads_last_month", "total_downloads", "likes", "community", "descendants", "dataset_usage", "details",
    ]
    assert rows == [
        (dt.date(2025, 3, 1), dt.date(2025, 3, 14), 1, "HuggingFace", kind, "acme", "first", "Acme", "https://hf.co/acme/first", dt.date(2025, 3, 14), 12, 340, 5, 2, 1, 3, "{}"),
        (dt.date(2025, 3, 1), dt.date(2025, 3, 14), 2, "HuggingFace", kind, "acme", "second", None, None, dt.date(2025, 3, 13), 0, None, None, None, None, None, None),
    ]

"""Reading a raw archive file: the values a month is built from, and the line named when a file is bad.

The reader parses straight into the schema and hands a file it cannot take that way to the exact reader;
these cases pin what the user sees either way.
"""

import datetime as dt

import pytest

from osir_assets.errors import OsirInputError
from osir_assets.lib.jsonl import read_jsonl
from osir_assets.sources.archive import RAW_SCHEMA

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

"""The shared search cases (search_cases.toml) and the hand-made tables they search (search_tables.sql)."""

import datetime as dt
import tomllib
from pathlib import Path

import duckdb

HERE = Path(__file__).parent
CASES = tomllib.loads((HERE / "search_cases.toml").read_text(encoding="utf-8"))["case"]
DEFAULT_MONTH = "2025-03"


def case_id(case: dict) -> str:
    return f"{case['table']}:{case['query']}"


def case_month(case: dict) -> dt.date:
    return dt.datetime.strptime(case.get("month", DEFAULT_MONTH), "%Y-%m").date()


def build_search_db(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute((HERE / "search_tables.sql").read_text(encoding="utf-8"))
    return path

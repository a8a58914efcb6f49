"""``osir search QUERY [--table] [--month] [--limit] [--format table|json]``: the rows found, matches highlighted.

The terminal shows the name and a few columns of the first rows, the matched text in reverse video when standard
output is a terminal (and NO_COLOR is unset), then how many rows were found; JSON carries every column.
Notices (an invalid regular expression matched as plain text) go to standard error.
"""

import argparse
import datetime as dt
import json
import os
import re
import sys
from pathlib import Path

import duckdb

from osir_assets.errors import OsirInputError
from osir_assets.lib.duckdb_store import DEFAULT_DB
from osir_assets.search.catalogue import CATALOGUE
from osir_assets.search.query import Term
from osir_assets.search.sql import SearchResult, search

HIGHLIGHT = ("\x1b[7m", "\x1b[27m")


def add_search_command(add, month_type) -> None:
    """Register ``osir search`` on the ``osir`` parser (``add`` is its sub-command factory)."""

    command = add("search", "Search a month's models, datasets, rankings, scorecards or leaderboard with the leaderboard's syntax.")
    command.add_argument("query", help="terms separated by ';' (any matches); in a term, @field:value filters (all match) and free text (the name)")
    command.add_argument("--table", choices=tuple(CATALOGUE), default="models", help="what to search (default: models)")
    command.add_argument("--month", type=month_type, help="YYYY-MM (default: the table's latest month)")
    command.add_argument("--limit", type=_positive, default=20, help="rows shown (default 20); the count is of all rows found")
    command.add_argument("--format", choices=("table", "json"), default="table")
    command.set_defaults(handler=cmd_search)


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a positive number of rows")
    return int(value)


def cmd_search(args: argparse.Namespace) -> int:
    db = args.db or os.environ.get("OSIR_DB", DEFAULT_DB)
    if not Path(db).exists():
        raise OsirInputError("database not found; run `osir run` or `osir reproduce` first", db)
    with duckdb.connect(db, read_only=True) as con:
        result = search(con, args.query, args.table, args.month, args.limit)
    for notice in result.notices:
        print(f"osir: note: {notice}", file=sys.stderr)
    if args.format == "json":
        print(as_json(args.query, result))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        print(as_text(result, colour))
    return 0


def as_json(query: str, result: SearchResult) -> str:
    rows = result.rows.drop([c for c in result.rows.columns if c.startswith("_term")]).to_dicts()
    document = {"query": query, "table": result.table.key, "month": f"{result.month:%Y-%m}", "count": result.count, "rows": rows}
    return json.dumps(document, ensure_ascii=False, default=_json_value)


def _json_value(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def shown_text(value) -> str:
    """A cell as people read it: counters with thousands separators, fractions with four decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.4f}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def spans(term: Term, text: str, value: str | None = None) -> list[tuple[int, int]]:
    """Where ``text`` shows the term's match: its free text (``value`` None) or a filter's value."""
    if value is not None or not term.regex:
        needle = (value if value is not None else term.text).lower()
        found, at = [], text.lower().find(needle)
        while needle and at >= 0:
            found.append((at, at + len(needle)))
            at = text.lower().find(needle, at + len(needle))
        return found
    try:  # Python's engine marks what RE2 matched; a pattern only RE2 reads is shown unmarked
        return [m.span() for m in re.finditer(term.text, text, flags=re.IGNORECASE) if m.end() > m.start()]
    except re.error:
        return []


def highlighted(text: str, marks: list[tuple[int, int]], colour: bool) -> str:
    if not colour or not marks:
        return text
    out, at = [], 0
    for start, end in sorted(marks):
        if start >= at:
            out += [text[at:start], HIGHLIGHT[0], text[start:end], HIGHLIGHT[1]]
            at = end
    return "".join(out) + text[at:]


def as_text(result: SearchResult, colour: bool) -> str:
    columns = ["name", *(c for c in result.table.shown if c in result.rows.columns)]
    cells = [[shown_text(row[c]) for c in columns] for row in result.rows.iter_rows(named=True)]
    marks = [[[] for _ in columns] for _ in cells]
    for r, row in enumerate(result.rows.select([f"_term{i}" for i in range(len(result.terms))]).iter_rows()):
        for term in (t for t, matched in zip(result.terms, row) if matched):
            if term.text:
                marks[r][0] += spans(term, cells[r][0])
            for condition in term.filters:
                if condition.field in columns:
                    c = columns.index(condition.field)
                    marks[r][c] += spans(term, cells[r][c], condition.value)
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    numeric = [c != "name" and result.rows.schema[c].is_numeric() for c in columns]  # right-aligned

    def line(texts, row_marks):
        padded = [(" " * (w - len(t)) + highlighted(t, m, colour)) if right else (highlighted(t, m, colour) + " " * (w - len(t)))
                  for t, m, w, right in zip(texts, row_marks, widths, numeric)]
        return "  ".join(padded).rstrip()

    lines = [line(columns, [[] for _ in columns]), *(line(row, row_marks) for row, row_marks in zip(cells, marks))]
    shown = f" (showing the first {result.rows.height:,})" if result.rows.height < result.count else ""
    lines.append(f"{result.count:,} found in {result.table.key}, {result.month:%Y-%m}{shown}")
    return "\n".join(lines)

"""Strict JSON-lines reading: fast in the common case, exact about the line when a file is bad.

Two readers give the same rows and values:

* ``read_jsonl``: the file as a polars frame, for small files and for files only the exact reader takes;
* ``duckdb_records``: a DuckDB subquery over the file, for files ``check_jsonl`` found strict. DuckDB reads
  a large file in bounded memory straight into a table, where polars holds the file's bytes and the frame.

``check_jsonl`` reads a file in blocks (bounded memory) and names the first bad line, as ``read_jsonl`` does;
it remembers for the process which files it found strict, so that the archive validation's pass is not
repeated when the source steps read them.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from osir_assets.errors import OsirInputError


def _locate_bad_line(path: Path) -> tuple[int, str]:
    # Only reached once the fast reader has failed, to name the line for the user.
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                return number, f"malformed JSON ({exc.msg})"
            if not isinstance(value, dict):
                return number, "a JSON object was expected"
    return 0, "unreadable JSON lines"


# The fast reader's own types: it parses straight into them, and a value that does not parse fails the file.
FAST_TYPES = (pl.String, pl.Int64, pl.Date)


def _read_typed(path: Path | io.BytesIO, schema: dict[str, pl.DataType], required: list[str]) -> pl.DataFrame | None:
    """The file (or a block of its lines) parsed straight into ``schema``, or None when anything about it is off.

    Only the schema's fields are parsed (one strict pass in polars' reader). Integers must be JSON integers
    that fit Int64, dates ISO strings, required fields present and not null. None sends the file to the
    exact reader, which accepts or names the line: this reader never rejects a file by itself.
    """
    if any(dtype not in FAST_TYPES for dtype in schema.values()):
        return None
    as_read = {name: pl.String if dtype == pl.Date else dtype for name, dtype in schema.items()}
    try:
        frame = pl.read_ndjson(path, schema=as_read, ignore_errors=False)
    except Exception:  # polars raises several types for bad input
        return None
    if frame.height == 0:  # only blank lines: the exact reader says what is missing
        return None
    dates = [pl.col(name).str.to_date("%Y-%m-%d", strict=False).alias(name) for name, dtype in schema.items() if dtype == pl.Date]
    typed = frame.with_columns(dates) if dates else frame
    unparsed = [(typed.get_column(name).is_null() & frame.get_column(name).is_not_null()).any() for name in schema if schema[name] == pl.Date]
    missing = [typed.get_column(name).is_null().any() for name in required]
    return None if any(unparsed) or any(missing) else typed


def _read_inferred(path: Path, schema: dict[str, pl.DataType], required: list[str]) -> pl.DataFrame:
    # Every field's type inferred from the whole file, then each schema field converted and checked: slower,
    # but it names the first bad line and field.
    try:
        frame = pl.read_ndjson(path, infer_schema_length=None, ignore_errors=False)
    except Exception as exc:  # polars raises several types for bad input
        line, why = _locate_bad_line(path)
        raise OsirInputError(why if line else f"unreadable JSON lines ({exc})", str(path), line or None) from None
    for column in required:
        if column not in frame.columns:
            raise OsirInputError(f"required field '{column}' is missing", str(path), 1)
        nulls = frame.get_column(column).is_null()
        if nulls.any():
            raise OsirInputError(f"required field '{column}' is missing or null", str(path), int(nulls.arg_true()[0]) + 1)
    converted, broken = [], []
    for name, dtype in schema.items():
        if name not in frame.columns:
            converted.append(pl.lit(None, dtype=dtype).alias(name))
            continue
        source = pl.col(name)
        value = source.str.to_date(strict=False) if dtype == pl.Date and frame.schema[name] == pl.String else source.cast(dtype, strict=False)
        converted.append(value.alias(name))
        broken.append((value.is_null() & source.is_not_null()).alias(name))
    if broken:
        flags = frame.select(broken)
        for name in flags.columns:
            bad = flags.get_column(name)
            if bad.any():
                raise OsirInputError(f"field '{name}' is not a valid {schema[name]}", str(path), int(bad.arg_true()[0]) + 1)
    return frame.select(converted)


def read_jsonl(path: Path, schema: dict[str, pl.DataType], required: list[str]) -> pl.DataFrame:
    """Read ``path`` into ``schema`` columns (missing optional columns become null).

    Raises OsirInputError naming the file and line of the first malformed record or the first record
    that lacks a required field.
    """
    if not path.exists():
        raise OsirInputError("file not found", str(path))
    if path.stat().st_size == 0:
        return pl.DataFrame(schema=schema)
    typed = _read_typed(path, schema, required)
    return typed if typed is not None else _read_inferred(path, schema, required)


# check_jsonl parses this much of a file at a time (whole lines): its memory does not grow with the file.
BLOCK_BYTES = 16 << 20
# DuckDB refuses a record longer than its reader's buffer, which it allocates at twice this size; the
# strict reader has no limit. A block longer than this holds a long line (over 16 MB): polars reads that file.
MAX_RECORD_BYTES = 32 << 20
_strict_files: dict[tuple, bool] = {}


def _blocks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            yield block + handle.readline()  # up to the end of the line the block ends in


def _strict(path: Path, schema: dict[str, pl.DataType], required: list[str]) -> bool:
    """The strict reader takes every block, DuckDB's reader every line, and the file holds a record."""
    records = 0
    for block in _blocks(path):
        if len(block) > MAX_RECORD_BYTES:
            return False
        if block.strip():
            typed = _read_typed(io.BytesIO(block), schema, required)
            if typed is None:
                return False
            records += typed.height
    return records > 0


def check_jsonl(path: Path, schema: dict[str, pl.DataType], required: list[str]) -> bool:
    """Raise OsirInputError naming the file and line of the first bad record, as ``read_jsonl`` would.

    True when the file is strict (every counter a JSON integer, every date an ISO date, required fields
    present): read it with ``duckdb_records``. False when only the exact reader takes it (a counter written
    as a string of digits, say) or the file is empty: read it with ``read_jsonl``.
    """
    if not path.exists():
        raise OsirInputError("file not found", str(path))
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, tuple(schema.items()), tuple(required))
    if key not in _strict_files:
        strict = stat.st_size > 0 and _strict(path, schema, required)
        if not strict and stat.st_size:
            _read_inferred(path, schema, required)  # names the bad line, or takes the file
        _strict_files[key] = strict
    return _strict_files[key]


def duckdb_records(schema: dict[str, pl.DataType]) -> str:
    """A subquery of a strict file's records (``check_jsonl`` returned True) in ``schema``'s columns, in file
    order when the statement preserves insertion order; the path is bound as ``$path``.

    On a strict file DuckDB's values are the strict reader's, with two differences no crawl produces: a
    number in a text field is written DuckDB's way (1e3 as '1000.0', not '1000'), and a record that names
    a key twice is refused with DuckDB's error (file and line) where the strict reader takes the first.
    """
    columns = ", ".join(f"'{name}': '{'BIGINT' if dtype == pl.Int64 else 'VARCHAR'}'" for name, dtype in schema.items())
    values = ", ".join(f"CAST(strptime(\"{name}\", '%Y-%m-%d') AS DATE) AS \"{name}\"" if dtype == pl.Date else f'"{name}"' for name, dtype in schema.items())
    return f"(SELECT {values} FROM read_json($path, format='newline_delimited', records=true, maximum_object_size={MAX_RECORD_BYTES}, columns={{{columns}}}))"

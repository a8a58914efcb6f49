"""Strict JSON-lines reading: fast in the common case, exact about the line when a file is bad."""

from __future__ import annotations

import json
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


def _read_typed(path: Path, schema: dict[str, pl.DataType], required: list[str]) -> pl.DataFrame | None:
    """The file parsed straight into ``schema``, or None when anything about it is off.

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

"""Numbers for people, and the text tables that carry them: the one way OSIR prints a figure.

Counters are whole numbers with thousands separators (``22,939,093``); scores, shares and weights have a
fixed number of decimals (``0.5000``); changes carry their sign (``+4``, ``-0.0123``). Nothing is ever
printed in scientific notation. Every formatter is a polars expression (a column is formatted at once,
never row by row in Python); ``text_table`` applies them and lays the table out, numbers right-aligned.

    print(text_table(frame, {"rank": count, "score": decimals(4), "delta": signed_count}))
"""

from collections.abc import Callable, Mapping

import polars as pl

Formatter = Callable[[pl.Expr], pl.Expr]


def _grouped(digits: pl.Expr) -> pl.Expr:
    """'22939093' -> '22,939,093' (digits only): groups of three, counted from the right."""
    return digits.str.reverse().str.extract_all(r"\d{1,3}").list.join(",").str.reverse()


def _fixed(expr: pl.Expr, places: int, signed: bool) -> pl.Expr:
    # Whole units of 10^-places, so that rounding happens once and the sign follows the rounded value
    # (-0.00001 shown with 4 decimals is 0.0000, not -0.0000).
    scaled = (expr.cast(pl.Float64) * 10**places).round(0).cast(pl.Int64, strict=False)
    whole = _grouped((scaled.abs() // 10**places).cast(pl.String))
    fraction = pl.concat_str(pl.lit("."), (scaled.abs() % 10**places).cast(pl.String).str.zfill(places)) if places else pl.lit("")
    sign = pl.when(scaled < 0).then(pl.lit("-")).when(pl.lit(signed) & (scaled > 0)).then(pl.lit("+")).otherwise(pl.lit(""))
    return pl.concat_str(sign, whole, fraction).fill_null(pl.lit(""))


def count(expr: pl.Expr) -> pl.Expr:
    """A counter: whole, with thousands separators (22,939,093); empty when missing."""
    return _fixed(expr, 0, signed=False)


def signed_count(expr: pl.Expr) -> pl.Expr:
    """A change of a counter or rank: +4, -2, 0; 'new' when there was nothing to compare with."""
    return pl.when(expr.is_null()).then(pl.lit("new")).otherwise(_fixed(expr, 0, signed=True))


def decimals(places: int) -> Formatter:
    """A score, share or weight with ``places`` fixed decimals (0.5000); empty when missing."""
    return lambda expr: _fixed(expr, places, signed=False)


def signed_decimals(places: int) -> Formatter:
    """A change of a score or share, with its sign (+0.0123, -0.0400, 0.0000)."""
    return lambda expr: _fixed(expr, places, signed=True)


def measure(expr: pl.Expr) -> pl.Expr:
    """An indicator's raw value: a counter when it is whole (every published indicator is), else 4 decimals."""
    return pl.when(expr == expr.floor()).then(count(expr)).otherwise(_fixed(expr, 4, signed=False))


def formatted(value, formatter: Formatter) -> str:
    """One number, formatted as its column would be (for sentences around the tables)."""
    return pl.select(formatter(pl.lit(value)).alias("v")).item()


def text_table(frame: pl.DataFrame, formats: Mapping[str, Formatter] = {}) -> str:
    """The frame as a markdown-shaped table (what the terminal shows and Dagster's Markdown metadata renders):
    columns named in ``formats`` are formatted by it and right-aligned, the others are text."""
    cells = frame.select(
        formats[c](pl.col(c)).alias(c) if c in formats else pl.col(c).cast(pl.String).fill_null("") for c in frame.columns
    )
    widths = {c: max(len(c), cells[c].str.len_chars().max() or 0) for c in cells.columns}

    def padded(name: str, expr: pl.Expr) -> pl.Expr:
        return expr.str.pad_start(widths[name]) if name in formats else expr.str.pad_end(widths[name])

    head = "| " + " | ".join(c.rjust(widths[c]) if c in formats else c.ljust(widths[c]) for c in cells.columns) + " |"
    rule = "|" + "|".join("-" * (widths[c] + 1) + ":" if c in formats else "-" * (widths[c] + 2) for c in cells.columns) + "|"
    if cells.is_empty():
        return f"{head}\n{rule}"
    row = pl.concat_str([pl.lit("| "), pl.concat_str([padded(c, pl.col(c)) for c in cells.columns], separator=" | "), pl.lit(" |")])
    return "\n".join([head, rule, cells.select(row.str.join("\n")).item()])

"""HTML tables for the static pages, built as text by polars expressions (every cell escaped), in the markup the
report's search box reads (osir_assets/exports/report.py documents it)."""

import html
from collections.abc import Mapping

import polars as pl

from osir_assets.lib.formatting import Formatter


def escaped(expr: pl.Expr) -> pl.Expr:
    return (
        expr.cast(pl.String).fill_null("")
        .str.replace_all("&", "&amp;", literal=True).str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True).str.replace_all('"', "&quot;", literal=True)
    )


def html_table(
    frame: pl.DataFrame,
    text_columns: tuple[str, ...] = ("org",),
    css_class: str = "",
    search_table: str = "rankings",
    formats: Mapping[str, Formatter] = {},
    field_names: Mapping[str, str] = {},
) -> str:
    """An HTML table of ``frame``, numbers formatted by ``formats``, every cell escaped. ``text_columns`` are
    left-aligned, the first holds the names the search box matches; ``search_table`` says what the rows are, and
    ``field_names`` names a header's field where the header is shown differently (``{"Δ rank": "delta_rank"}``)."""
    frame = frame.with_columns(formats[c](pl.col(c)).alias(c) for c in frame.columns if c in formats)

    def header(column: str) -> str:
        css = ' class="org"' if column in text_columns else ""
        field = f' data-field="{html.escape(field_names[column])}"' if column in field_names else ""
        return f"<th{css}{field}>{html.escape(column)}</th>"

    head = "".join(map(header, frame.columns))
    name = f' data-search-name="{html.escape(text_columns[0])}"' if text_columns else ""
    opening = f'<table class="{css_class}" data-search-table="{html.escape(search_table)}"{name}>'
    if frame.is_empty():
        return f"{opening}<tr>{head}</tr></table>"
    cells = [pl.concat_str(pl.lit('<td class="org">' if c in text_columns else "<td>"), escaped(pl.col(c)), pl.lit("</td>")) for c in frame.columns]
    rows = frame.select(pl.concat_str(pl.lit("<tr>"), *cells, pl.lit("</tr>")).alias("row"))["row"].str.join("\n").item()
    return f"{opening}\n<tr>{head}</tr>\n{rows}\n</table>"

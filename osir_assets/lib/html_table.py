"""HTML tables built as text by polars expressions: every cell escaped, no template engine."""

import html

import polars as pl


def escaped(expr: pl.Expr) -> pl.Expr:
    return (
        expr.cast(pl.String).fill_null("")
        .str.replace_all("&", "&amp;", literal=True).str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True).str.replace_all('"', "&quot;", literal=True)
    )


def html_table(frame: pl.DataFrame, text_columns: tuple[str, ...] = ("org",), css_class: str = "") -> str:
    """An HTML table of ``frame``, every cell escaped; ``text_columns`` are left-aligned."""
    head = "".join(f'<th class="org">{html.escape(c)}</th>' if c in text_columns else f"<th>{html.escape(c)}</th>" for c in frame.columns)
    if frame.is_empty():
        return f'<table class="{css_class}"><tr>{head}</tr></table>'
    cells = [pl.concat_str(pl.lit('<td class="org">' if c in text_columns else "<td>"), escaped(pl.col(c)), pl.lit("</td>")) for c in frame.columns]
    rows = frame.select(pl.concat_str(pl.lit("<tr>"), *cells, pl.lit("</tr>")).alias("row"))["row"].str.join("\n").item()
    return f'<table class="{css_class}">\n<tr>{head}</tr>\n{rows}\n</table>'

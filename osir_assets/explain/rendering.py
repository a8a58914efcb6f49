"""The explanation and the diff on the terminal: headings, sentences and tables, numbers as people read them."""

import polars as pl

from osir_assets.explain.queries import Diff, Explanation
from osir_assets.lib.formatting import count, decimals, formatted, measure, signed_count, signed_decimals, text_table
from osir_assets.lib.month_status import heading

SCORE = decimals(4)
SCORE_CHANGE = signed_decimals(4)


def platform_records(records: pl.Expr) -> pl.Expr:
    """Every platform record of a repository, 'HuggingFace account/name (1,234); ModelScope ...'."""
    entry = pl.element().struct
    downloads = pl.when(entry.field("downloads").is_not_null()).then(pl.concat_str(pl.lit(" ("), count(entry.field("downloads")), pl.lit(")")))
    return records.list.eval(pl.concat_str(entry.field("record"), downloads.otherwise(pl.lit("")))).list.join("; ")


def render_explanation(e: Explanation) -> None:
    o = e.overall.row(0, named=True) if not e.overall.is_empty() else None
    print(heading(f"OSIR score of {e.org}, {e.month:%Y-%m} ({e.view})", e.sample))
    if o is None:
        print(f"\n{e.org} is not in the overall ranking this month (it is not ranked in all four dimensions).")
    else:
        moved = "" if o["previous_month"] is None else f", {formatted(o['delta_rank'], signed_count)} since {o['previous_month']:%Y-%m}"
        print(f"\nOverall: rank {formatted(o['rank'], count)} of {formatted(o['organisations_ranked'], count)}{moved}; "
              f"score {formatted(o['score'], SCORE)} = sum over dimensions of weight / log2(rank + 1)")
    if not e.dimensions.is_empty():
        print(text_table(
            e.dimensions.select("dimension", "rank", "organisations", "score", pl.col("component").alias("1/log2(rank+1)"), "weight", "contribution",
                                pl.col("indicators_used").alias("indicators"), pl.col("delta_rank").alias("delta")),
            {"rank": count, "organisations": count, "score": SCORE, "1/log2(rank+1)": SCORE, "weight": SCORE, "contribution": SCORE,
             "indicators": count, "delta": signed_count},
        ))
    for (dimension,), rows in e.indicators.group_by("dimension", maintain_order=True):
        method = e.dimensions.filter(pl.col("dimension") == dimension)
        how = f"{method['method'][0]} of normalised indicators ({method['normalisation'][0]} normalisation)" if not method.is_empty() else ""
        print(f"\n{dimension}: {how}; share = normalised * weight / weights used, the shares add up to the score")
        print(text_table(
            rows.select("indicator", "value", pl.col("value_rank").alias("place"), pl.col("column_max").alias("max"), pl.col("max_org").alias("max set by"),
                        "normalised", "weight", "share", "source"),
            {"value": measure, "place": count, "max": measure, "normalised": SCORE, "weight": SCORE, "share": SCORE},
        ))
        repos = e.repositories.filter(pl.col("dimension") == dimension)
        if not repos.is_empty():
            print(f"\n{dimension}: repositories behind the raw values (largest first; figure = what the repository adds to the value)")
            print(text_table(
                repos.select("indicator", pl.col("place").alias("#"), "repository", "figure", platform_records(pl.col("platform_records")),
                             "repositories", pl.col("figures_total").alias("sum of figures"), pl.col("value").alias("raw value")),
                {"#": count, "figure": measure, "repositories": count, "sum of figures": measure, "raw value": measure},
            ))
    if not e.unscored.is_empty():
        print("\nOptional indicators, computed but not scored (enable them with the scoring profile's optional_indicators)")
        print(text_table(e.unscored, {"value": measure}))


def render_diff(d: Diff) -> None:
    print(heading(f"OSIR rank of {d.org}: {d.from_month:%Y-%m} -> {d.to_month:%Y-%m} ({d.view})", d.sample))
    if not d.overall.is_empty():
        o = d.overall.row(0, named=True)
        if o["rank_from"] is None or o["rank_to"] is None:
            print(f"\nOverall: ranked only in {d.to_month if o['rank_from'] is None else d.from_month:%Y-%m}")
        else:
            print(f"\nOverall: rank {formatted(o['rank_from'], count)} -> {formatted(o['rank_to'], count)} ({formatted(o['rank_change'], signed_count)}, positive = moved up); "
                  f"score {formatted(o['score_from'], SCORE)} -> {formatted(o['score_to'], SCORE)} ({formatted(o['score_change'], SCORE_CHANGE)})")
    print("\nPer dimension (overall effect: change of weight / log2(rank + 1))")
    print(text_table(d.dimensions, {
        "rank_from": count, "rank_to": count, "rank_change": signed_count, "score_from": SCORE, "score_to": SCORE,
        "score_change": SCORE_CHANGE, "overall_effect": SCORE_CHANGE,
    }))
    print("\nIndicators whose contribution (share of the dimension score) moved most")
    print(text_table(
        d.indicators.select("dimension", "indicator", "value_from", "value_to", "max_from", "max_to", pl.col("max_org_to").alias("max set by"),
                            "share_change", "moved_by"),
        {"value_from": measure, "value_to": measure, "max_from": measure, "max_to": measure, "share_change": SCORE_CHANGE},
    ))

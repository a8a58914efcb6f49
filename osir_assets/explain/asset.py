"""The ``score_explanations`` asset: the month's leaders and why they lead, as a table in the Dagster UI."""

from dagster import AssetExecutionContext, BackfillPolicy, MaterializeResult, MetadataValue, asset

from osir_assets.explain.queries import top_organisations
from osir_assets.lib.duckdb_resource import DuckDBStore
from osir_assets.lib.formatting import count, decimals, signed_count, text_table
from osir_assets.lib.month_status import from_sample, heading
from osir_assets.partitions import month_of, monthly_partitions


@asset(
    deps=["influence_scores"],
    group_name="scores",
    partitions_def=monthly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    description="Why the month's leaders lead: overall rank and score, and per dimension the rank and the indicator adding most (`osir explain` has the full walk).",
    kinds={"duckdb"},
)
def score_explanations(context: AssetExecutionContext, duckdb: DuckDBStore) -> MaterializeResult:
    sections, leaders, unranked = [], {}, []
    with duckdb.connect() as con:
        for key in sorted(context.partition_keys):
            month = month_of(key)
            table = top_organisations(con, month)
            if table.is_empty():
                unranked.append(f"{month:%Y-%m}")
                continue
            leaders[f"{month:%Y-%m}"] = table["org"][0]
            title = heading(f"{month:%Y-%m} (monthly view)", from_sample(con, [month]))
            sections.append(f"### {title}\n\n{text_table(table, {'rank': count, 'score': decimals(4), 'delta': signed_count})}")
    notes = ["Each dimension: `#rank (the indicator adding most to its score)`. `osir explain ORG --month YYYY-MM` has the full walk."]
    if unranked:
        notes.append(f"Not ranked (no curated infrastructure table in force, or no scores): {', '.join(unranked)}.")
    return MaterializeResult(metadata={"leaders": leaders, "top_organisations": MetadataValue.md("\n\n".join(notes + sections))})

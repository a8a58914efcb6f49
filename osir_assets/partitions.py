"""Every OSIR asset is partitioned by calendar month; a month's key is its first day ('2024-12-01')."""

import datetime as dt
import warnings

from dagster import BetaWarning, MonthlyPartitionsDefinition

# Two beta parameters are the right tool here, on purpose: `backfill_policy` (BackfillPolicy.single_run(): a range
# of months is one run, the only safe way with one DuckDB writer) and `allow_nonexistent_upstream_partitions` (the
# first months of the partition set read months before it). Exactly their notices are silenced, nothing else.
for parameter in ("backfill_policy", "allow_nonexistent_upstream_partitions"):
    warnings.filterwarnings("ignore", message=f"Parameter `{parameter}` of .* is currently in beta", category=BetaWarning)

FIRST_ARCHIVED_MONTH = "2024-11-01"

# end_offset=1 adds the current, still running month: a live collection fills the month it runs in.
monthly_partitions = MonthlyPartitionsDefinition(start_date=FIRST_ARCHIVED_MONTH, end_offset=1)


def month_of(partition_key: str) -> dt.date:
    return dt.date.fromisoformat(partition_key)


def partition_key(month: dt.date) -> str:
    return month.replace(day=1).isoformat()

"""Every OSIR asset is partitioned by calendar month; a month's key is its first day ('2024-12-01')."""

import datetime as dt
import warnings

from dagster import BetaWarning, MonthlyPartitionsDefinition

# BackfillPolicy.single_run() is how a range of months runs as one run; its beta notice is noise here.
warnings.filterwarnings("ignore", category=BetaWarning)

FIRST_ARCHIVED_MONTH = "2024-11-01"

# end_offset=1 adds the current, still running month: a live collection fills the month it runs in.
monthly_partitions = MonthlyPartitionsDefinition(start_date=FIRST_ARCHIVED_MONTH, end_offset=1)


def month_of(partition_key: str) -> dt.date:
    return dt.date.fromisoformat(partition_key)


def partition_key(month: dt.date) -> str:
    return month.replace(day=1).isoformat()

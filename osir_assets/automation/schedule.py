"""The monthly schedule: collect and score the month it runs in, on a configurable day.

The current month is a partition (``end_offset=1``), so a run on the 8th fills that month from the
platforms (or the archive) and scores it. The day is ``OSIR_SCHEDULE_DAY`` (1-28, default 8): late
enough for the curated tables of the month to be in. Off until the operator turns it on.
"""

import os

from dagster import AssetSelection, DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, define_asset_job, schedule

from osir_assets.partitions import partition_key

DEFAULT_SCHEDULE_DAY = 8

# Every asset for one month: the job the schedule, sensors and `dagster job backfill -j osir_month` run.
osir_month_job = define_asset_job(
    "osir_month",
    selection=AssetSelection.all(),  # every asset is monthly, so the job is partitioned by month
    description="Collect and score one month: every asset, one partition.",
)


def schedule_day() -> int:
    raw = os.environ.get("OSIR_SCHEDULE_DAY", str(DEFAULT_SCHEDULE_DAY))
    if not raw.isdigit() or not 1 <= int(raw) <= 28:
        # Days 29-31 do not exist in every month: a monthly schedule on them would skip months.
        raise ValueError(f"OSIR_SCHEDULE_DAY must be a day of month from 1 to 28, not '{raw}'")
    return int(raw)


def build_monthly_schedule(day: int | None = None):
    day = day or schedule_day()

    @schedule(
        name="monthly_collection",
        cron_schedule=f"0 6 {day} * *",
        execution_timezone="UTC",
        job=osir_month_job,
        default_status=DefaultScheduleStatus.STOPPED,
        description=f"On day {day} of every month at 06:00 UTC: collect and score that month (every asset, the month's partition).",
    )
    def monthly_collection(context: ScheduleEvaluationContext) -> RunRequest:
        month = context.scheduled_execution_time.date().replace(day=1)
        key = partition_key(month)
        # The run key makes a tick that is evaluated twice request the month once.
        return RunRequest(run_key=f"monthly-{key}", partition_key=key, tags={"osir/trigger": "schedule"})

    return monthly_collection


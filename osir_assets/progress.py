"""Progress lines for people at a terminal, next to Dagster's own run log."""

import logging

from dagster import AssetExecutionContext

progress_log = logging.getLogger("osir.progress")


def report(context: AssetExecutionContext, message: str) -> None:
    context.log.info(message)
    progress_log.info(message)

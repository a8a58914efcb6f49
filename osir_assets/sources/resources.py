"""Where source assets get a month from: an archive folder (the published layout) or, later, the platforms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from dagster import ConfigurableResource
from pydantic import Field

from osir_assets.sources.archive import month_folders, read_archive_snapshot

SAMPLE_ROOT = Path(__file__).resolve().parent.parent / "sample"


class ArchiveResource(ConfigurableResource):
    """Monthly crawl archives laid out as ROOT/data/<YYYY-MM-DD>/<Platform>/raw-*-info.jsonl."""

    root: str = Field(default=str(SAMPLE_ROOT), description="Archive root (OSIR_ARCHIVE); defaults to the bundled sample.")

    def snapshot(self, month: dt.date, platform: str, kind: str) -> tuple[pl.DataFrame, dict]:
        return read_archive_snapshot(Path(self.root), month, platform, kind)

    def snapshot_date(self, month: dt.date) -> dt.date | None:
        found = month_folders(Path(self.root)).get(month)
        return found[0] if found else None

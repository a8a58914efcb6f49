"""Where source assets get a month from: an archive folder (the published layout) or the platforms' APIs.

Source assets only ever call ``PlatformSources.snapshot``/``snapshot_date``; what answers is configuration.
"""

import datetime as dt
from pathlib import Path

import polars as pl
from dagster import ConfigurableResource
from pydantic import Field

from osir_assets.sources.archive import month_folders, read_archive_snapshot

SAMPLE_ROOT = Path(__file__).resolve().parent.parent / "sample"


class PlatformSources(ConfigurableResource):
    """The month's per-repository snapshots of every platform.

    ``archive``: read ROOT/data/<YYYY-MM-DD>/<Platform>/raw-*-info.jsonl (OSIR_ARCHIVE; default: the
    bundled sample). A dated folder fills the partition of its month.
    """

    archive_root: str = Field(default=str(SAMPLE_ROOT), description="Archive root (OSIR_ARCHIVE); defaults to the bundled sample.")

    def snapshot(self, month: dt.date, platform: str, kind: str, log=None) -> tuple[pl.DataFrame, dict]:
        """(frame in SNAPSHOT_SCHEMA, metadata saying where it came from) for one platform and kind."""
        frame, origin = read_archive_snapshot(Path(self.archive_root), month, platform, kind)
        return frame, {"origin": origin["archive_file"], "snapshot_date": origin["snapshot_date"]}

    def snapshot_date(self, month: dt.date) -> dt.date | None:
        found = month_folders(Path(self.archive_root)).get(month)
        return found[0] if found else None

"""Where a month's leaderboard snapshot comes from: an imported file, the archive, or the live contents dataset.

* An imported file (``osir analytics --leaderboard PATH``): ``file`` is read as the snapshot of ``file_month``.
* Archive mode: ``<archive>/data/<YYYY-MM-DD>/OpenLLMLeaderboard/contents.{parquet,csv}``, the month's latest
  day; an archive month without one is an empty snapshot (the published OSIR-LMTS archive has none).
* Live (``osir analytics --collect``, or ``OSIR_LEADERBOARD=live`` for the graph's runs): the Parquet file of the
  dataset ``open-llm-leaderboard/contents`` through huggingface_hub, for the current month only (a collection on
  day D says what the leaderboard shows on day D). The file is kept under ``<raw_dir>/<YYYY-MM>/`` as the
  month's receipt. It is opt-in, apart from OSIR_MODE: the ranking's runs never wait on the leaderboard's host.
"""

import datetime as dt
import os
from pathlib import Path

import polars as pl
from dagster import ConfigurableResource, EnvVar
from pydantic import Field

from osir_assets.errors import OsirInputError
from osir_assets.leaderboard.source import empty_entries, read_leaderboard_file

CONTENTS_DATASET = "open-llm-leaderboard/contents"
CONTENTS_FILE = "data/train-00000-of-00001.parquet"
ARCHIVE_FOLDER = "OpenLLMLeaderboard"


class LeaderboardSource(ConfigurableResource):
    """The Open LLM Leaderboard snapshot of a month (see the module docstring for the three origins)."""

    mode: str = Field(default="archive", description="'archive' (files, see archive_root) or 'live' (the contents dataset; OSIR_LEADERBOARD)")
    archive_root: str = Field(default="", description="archive root holding data/<YYYY-MM-DD>/OpenLLMLeaderboard/")
    file: str = Field(default="", description="a snapshot file (Parquet or CSV, any known layout) imported as file_month's snapshot")
    file_month: str = Field(default="", description="the month (YYYY-MM-01) the imported file is the snapshot of")
    invert_flags: bool = Field(default=False, description="read merged/flagged/moe inverted: the leaderboard v1 exports store them the wrong way round")
    endpoint: str = Field(default="https://huggingface.co", description="Hub endpoint (HF_ENDPOINT)")
    token: str = Field(default="", description="Hub token (HF_TOKEN, passed as an EnvVar; never logged)")
    raw_dir: str = Field(default="", description="where a live collection keeps the downloaded file")

    def snapshot(self, month: dt.date) -> tuple[pl.DataFrame, dict]:
        if self.file and month.isoformat() == self.file_month:
            return read_leaderboard_file(Path(self.file), self.invert_flags), {"origin": "file", "path": self.file, "invert_flags": self.invert_flags}
        if self.mode == "live":
            return self._collect(month)
        snapshot = self._archive_file(month)
        if snapshot is None:
            return empty_entries(), {"origin": "archive", "path": None}
        return read_leaderboard_file(snapshot, self.invert_flags), {"origin": "archive", "path": str(snapshot)}

    def _archive_file(self, month: dt.date) -> Path | None:
        days = sorted(Path(self.archive_root, "data").glob(f"{month:%Y-%m}-??/{ARCHIVE_FOLDER}/contents.*")) if self.archive_root else []
        return days[-1] if days else None

    def _collect(self, month: dt.date) -> tuple[pl.DataFrame, dict]:
        today = dt.datetime.now(dt.timezone.utc).date()
        if month != today.replace(day=1):
            raise OsirInputError(
                f"live mode collects the leaderboard of the current month ({today:%Y-%m}) only, not {month:%Y-%m}; "
                "import a saved snapshot with `osir analytics --leaderboard PATH --month YYYY-MM`"
            )
        from huggingface_hub import HfApi

        api = HfApi(endpoint=self.endpoint, token=self.token or False, library_name="osir")
        folder = Path(self.raw_dir or ".", f"{month:%Y-%m}", ARCHIVE_FOLDER)
        path = api.hf_hub_download(CONTENTS_DATASET, CONTENTS_FILE, repo_type="dataset", local_dir=folder)
        return read_leaderboard_file(Path(path), self.invert_flags), {"origin": "live", "dataset": CONTENTS_DATASET, "path": str(path)}


def leaderboard_from_environment(archive_root: str, raw_dir: str, **options) -> LeaderboardSource:
    """The source as the environment configures it (OSIR_LEADERBOARD, HF_ENDPOINT, HF_TOKEN), ``options`` winning;
    the token travels as an EnvVar (its name is shown, never its value)."""
    settings = {"mode": os.environ.get("OSIR_LEADERBOARD") or "archive"}
    if os.environ.get("HF_ENDPOINT"):
        settings["endpoint"] = EnvVar("HF_ENDPOINT")
    if os.environ.get("HF_TOKEN"):
        settings["token"] = EnvVar("HF_TOKEN")
    return LeaderboardSource(archive_root=archive_root, raw_dir=raw_dir, **settings | options)

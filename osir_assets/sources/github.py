"""GitHub activity of the registered repositories: the snapshot shape, and its file in an archive.

One row per repository and month, whether collected live (``sources/live/github.py``) or read from an archive:

    ROOT/data/<YYYY-MM-DD>/GitHub/raw-repos-info.jsonl, one JSON object per line:
    {"org": "BAAI", "repo": "FlagOpen/FlagCX", "purpose": "infra", "stars": 1500, "forks": 120,
     "open_issues": 33, "active_contributors": 3, "releases": 2, "releases_in_month": 1, "date_crawl": "2025-02-14"}

``org``, ``repo`` ("owner/name"), ``purpose`` (model, infra or eval: the dimension the repository counts
towards) and ``active_contributors`` (people, bots excluded, who committed in the month) are required; the
other counters may be absent. The published OSIR-LMTS archive has no such file: its months then have no
GitHub rows, which is what the published method used (it had no GitHub indicators).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from osir_assets.errors import OsirInputError
from osir_assets.lib.jsonl import read_jsonl
from osir_assets.registry.native import GITHUB_PURPOSES
from osir_assets.sources.archive import month_folders

GITHUB_REPOS_SCHEMA: dict[str, pl.DataType] = {
    "snapshot_date": pl.Date,
    "org": pl.String,
    "repo": pl.String,
    "purpose": pl.String,
    "stars": pl.Int64,
    "forks": pl.Int64,
    "open_issues": pl.Int64,  # GitHub counts open pull requests in it
    "active_contributors": pl.Int64,
    "releases": pl.Int64,  # published releases, all time
    "releases_in_month": pl.Int64,
}
RAW_FIELDS = {**{c: t for c, t in GITHUB_REPOS_SCHEMA.items() if c != "snapshot_date"}, "date_crawl": pl.Date}
REQUIRED = ["org", "repo", "purpose", "active_contributors"]


def github_file(folder: Path) -> Path:
    return folder / "GitHub" / "raw-repos-info.jsonl"


def empty_github_snapshot() -> pl.DataFrame:
    return pl.DataFrame(schema=GITHUB_REPOS_SCHEMA)


def read_github_file(path: Path, snapshot_date: dt.date) -> pl.DataFrame:
    raw = read_jsonl(path, RAW_FIELDS, REQUIRED)
    bad = ~raw.get_column("purpose").is_in(list(GITHUB_PURPOSES))
    if bad.any():
        row = int(bad.arg_true()[0])
        raise OsirInputError(f"purpose '{raw['purpose'][row]}' is not one of {', '.join(GITHUB_PURPOSES)}", str(path), row + 1)
    return raw.select(
        pl.coalesce(pl.col("date_crawl"), pl.lit(snapshot_date)).alias("snapshot_date"),
        *[pl.col(c) for c in GITHUB_REPOS_SCHEMA if c != "snapshot_date"],
    )


def read_archive_github(root: Path, month: dt.date) -> tuple[pl.DataFrame, dict]:
    """The month's GitHub rows of an archive (none when its folder has no GitHub file) and where they came from."""
    folders = month_folders(Path(root))
    if month not in folders:
        raise OsirInputError(f"the archive has no folder for {month:%Y-%m}", str(Path(root) / "data"))
    snapshot_date, folder = folders[month]
    path = github_file(folder)
    if not path.exists():
        return empty_github_snapshot(), {"origin": f"{path} (absent: no GitHub figures that month)", "snapshot_date": str(snapshot_date)}
    return read_github_file(path, snapshot_date), {"origin": str(path), "snapshot_date": str(snapshot_date)}

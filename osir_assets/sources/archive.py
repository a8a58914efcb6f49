"""Read a month's platform snapshots from an archive laid out like the published OSIR-LMTS data.

    ROOT/data/<YYYY-MM-DD>/<Platform>/raw-{models,datasets}-info.jsonl
    ROOT/data/<YYYY-MM-DD>/GitHub/raw-repos-info.jsonl      (OSIR's own; the shape is in sources/github.py)

A dated folder fills the partition of its month. A record may carry ``details``, the JSON text a live collection
keeps (the generated sample does, for the model scorecards); the published crawl's records do not. A platform file that is absent means the platform was
not crawled that month: the snapshot is empty, which is what the published method assumes.
"""

from __future__ import annotations

import datetime as dt

from pathlib import Path

import polars as pl

from osir_assets.errors import OsirInputError
from osir_assets.lib.duckdb_store import stage_month_from_frame, stage_month_numbered
from osir_assets.lib.jsonl import check_jsonl, duckdb_records, read_jsonl
from osir_assets.registry.native import GITHUB_PURPOSES
from osir_assets.registry.osir_lmts import archive_folders
from osir_assets.sources.github import GITHUB_REPOS_SCHEMA, empty_github_snapshot
from osir_assets.sources.schema import conform

RAW_SCHEMA = {
    "org": pl.String,
    "repo": pl.String,
    "model_name": pl.String,
    "dataset_name": pl.String,
    "downloads_last_month": pl.Int64,
    "total_downloads": pl.Int64,
    "likes": pl.Int64,
    "community": pl.Int64,
    "descendants": pl.Int64,
    "dataset_usage": pl.Int64,
    "date_crawl": pl.Date,
    "link": pl.String,
    "details": pl.String,
}
# The counter each platform reports; a record without it cannot be scored.
COUNTER = {"HuggingFace": "downloads_last_month", "ModelScope": "total_downloads", "OpenDataLab": "total_downloads", "BAAIData": "total_downloads"}


def month_folders(root: Path) -> dict[dt.date, tuple[dt.date, Path]]:
    """{month: (snapshot date, folder)}; two folders in one month are an error, not a silent choice."""
    months: dict[dt.date, tuple[dt.date, Path]] = {}
    for snapshot, folder in archive_folders(root):
        month = snapshot.replace(day=1)
        if month in months:
            raise OsirInputError(f"two archive folders for {month:%Y-%m}: {months[month][1].name} and {folder.name}", str(folder))
        months[month] = (snapshot, folder)
    return months


def raw_file(folder: Path, platform: str, kind: str) -> Path:
    return folder / platform / f"raw-{kind}s-info.jsonl"


def _required(platform: str, kind: str) -> list[str]:
    return ["repo", f"{kind}_name", "date_crawl", COUNTER[platform]]


# A snapshot's columns after its constants (snapshot_date, record_no, platform, kind): snapshot column <- raw
# field, where {kind} is "model" or "dataset". Both readers below select exactly these.
SNAPSHOT_FIELDS = {
    "account": "repo",
    "name": "{kind}_name",
    **{field: field for field in ("org", "link", "date_crawl", "downloads_last_month", "total_downloads", "likes", "community", "descendants", "dataset_usage", "details")},
}


def read_raw_snapshot(path: Path, platform: str, kind: str, snapshot_date: dt.date) -> pl.DataFrame:
    raw = read_jsonl(path, RAW_SCHEMA, _required(platform, kind))
    return conform(
        raw.with_row_index("record_no", offset=1).select(
            pl.lit(snapshot_date).alias("snapshot_date"),
            pl.col("record_no").cast(pl.Int64),
            pl.lit(platform).alias("platform"),
            pl.lit(kind).alias("kind"),
            *[pl.col(field.format(kind=kind)).alias(column) for column, field in SNAPSHOT_FIELDS.items()],
        )
    )


def _snapshot_select(kind: str) -> str:
    """``read_raw_snapshot``'s columns, in SQL over ``duckdb_records`` (record_no is numbered when staged)."""
    fields = ", ".join(f'"{field.format(kind=kind)}" AS "{column}"' for column, field in SNAPSHOT_FIELDS.items())
    return (
        "SELECT CAST($snapshot_date AS DATE) AS snapshot_date, CAST(NULL AS BIGINT) AS record_no, $platform AS platform, $kind AS kind, "
        f"{fields} FROM {duckdb_records(RAW_SCHEMA)}"
    )


def stage_raw_snapshot(con, staged: str, month: dt.date, path: Path, platform: str, kind: str, snapshot_date: dt.date) -> None:
    """Append a raw file's records to the staging table as ``month``'s rows, in SNAPSHOT_SCHEMA columns.

    A strict file (the common case) goes from DuckDB's JSON reader straight into the table, in memory that
    does not grow with the file; any other file through ``read_raw_snapshot``. Both give the same rows.
    """
    if check_jsonl(path, RAW_SCHEMA, _required(platform, kind)):
        params = {"path": str(path), "snapshot_date": snapshot_date, "platform": platform, "kind": kind}
        stage_month_numbered(con, staged, month, _snapshot_select(kind), params, number="record_no")
    else:
        stage_month_from_frame(con, staged, month, read_raw_snapshot(path, platform, kind, snapshot_date))


def archive_snapshot_file(root: Path, month: dt.date, platform: str, kind: str) -> tuple[Path, dt.date]:
    """The raw file of ``platform``/``kind`` for ``month`` (it may be absent: not crawled) and its snapshot date."""
    folders = month_folders(Path(root))
    if month not in folders:
        raise OsirInputError(f"the archive has no folder for {month:%Y-%m}", str(Path(root) / "data"))
    snapshot_date, folder = folders[month]
    return raw_file(folder, platform, kind), snapshot_date


GITHUB_RAW_FIELDS = {**{c: t for c, t in GITHUB_REPOS_SCHEMA.items() if c != "snapshot_date"}, "date_crawl": pl.Date}
GITHUB_REQUIRED = ["org", "repo", "purpose", "active_contributors"]


def github_file(folder: Path) -> Path:
    return folder / "GitHub" / "raw-repos-info.jsonl"


def read_github_file(path: Path, snapshot_date: dt.date) -> pl.DataFrame:
    raw = read_jsonl(path, GITHUB_RAW_FIELDS, GITHUB_REQUIRED)
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


def validate_archive(root: Path) -> list[dt.date]:
    """Read every raw file once so that a bad line fails before anything is written (the source steps of
    this process then skip the check). Returns the months."""
    months = month_folders(Path(root))
    for month, (snapshot_date, folder) in months.items():
        for platform in COUNTER:
            for kind in ("model", "dataset"):
                path = raw_file(folder, platform, kind)
                if path.exists():
                    check_jsonl(path, RAW_SCHEMA, _required(platform, kind))
        if github_file(folder).exists():
            read_github_file(github_file(folder), snapshot_date)
    return sorted(months)

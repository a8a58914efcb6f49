"""The one shape every platform snapshot takes, whether it comes from an archive or a live API.

A source asset stores one row per repository seen on a platform in a month. Archive readers and live
collectors both return a polars DataFrame with exactly these columns (the asset adds ``month``), so
everything downstream is indifferent to where a month came from.
"""

from __future__ import annotations

import polars as pl

PLATFORMS = ("HuggingFace", "ModelScope", "OpenDataLab", "BAAIData")

SNAPSHOT_SCHEMA: dict[str, pl.DataType] = {
    "snapshot_date": pl.Date,  # the day the platform was read (an archive folder's date)
    "record_no": pl.Int64,  # position in the platform's listing; rules like "first record wins" use it
    "platform": pl.String,
    "kind": pl.String,  # 'model' or 'dataset'
    "account": pl.String,  # the platform account (HF/MS namespace, ODL creator, BAAI Data)
    "name": pl.String,  # repository name inside the account
    "org": pl.String,  # set only where the platform record already names the organisation (ODL, BAAI Data)
    "link": pl.String,
    "date_crawl": pl.Date,
    "downloads_last_month": pl.Int64,  # platform's own rolling 30-day counter (Hugging Face)
    "total_downloads": pl.Int64,  # cumulative counter (ModelScope, OpenDataLab, BAAI Data)
    "likes": pl.Int64,
    "community": pl.Int64,  # discussions + pull requests
    "descendants": pl.Int64,  # derived models in the model tree
    "dataset_usage": pl.Int64,  # models trained or fine-tuned on the dataset
    "details": pl.String,  # JSON text with whatever else the platform told us (tags, params, licence...)
}


def empty_snapshot() -> pl.DataFrame:
    return pl.DataFrame(schema=SNAPSHOT_SCHEMA)


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Add missing columns as nulls, cast, and order columns as SNAPSHOT_SCHEMA says."""
    missing = [pl.lit(None, dtype=t).alias(c) for c, t in SNAPSHOT_SCHEMA.items() if c not in frame.columns]
    frame = frame.with_columns(missing) if missing else frame
    return frame.select([pl.col(c).cast(t, strict=True) for c, t in SNAPSHOT_SCHEMA.items()])

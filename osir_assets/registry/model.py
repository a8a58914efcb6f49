"""The registry: who is ranked, under which platform accounts, with which labels and curated figures.

Everything here is data loaded from files (see ``osir_lmts.py`` for the OSIR-LMTS layout); nothing about a
particular organisation lives in code. Frames are polars, validated once on load.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from osir_assets.quality.waivers import WAIVER_SCHEMA

ACCOUNT_SCHEMA = {"org": pl.String, "platform": pl.String, "account": pl.String}
CONSTANT_SCHEMA = {"org": pl.String, "constant": pl.String, "value": pl.Float64}
MODEL_LABEL_SCHEMA = {"label_key": pl.String, "modality": pl.String, "is_large_model": pl.Boolean}
DATASET_LABEL_SCHEMA = {"label_key": pl.String, "modality": pl.String, "lifecycle": pl.String, "is_valid": pl.Boolean}
CURATED_SCHEMA = {
    "month": pl.Date,  # the month the curated figures were published for
    "snapshot_date": pl.Date,
    "dimension": pl.String,  # 'infra' or 'eval'
    "org": pl.String,
    "org_position": pl.Int64,  # row order of the curated table: it is the month's ranked org list
    "indicator": pl.String,
    "position": pl.Int64,  # column order of the curated table
    "value": pl.Float64,
}
EXTRA_DATASET_SCHEMA = {
    "org": pl.String,
    "repo": pl.String,
    "dataset_name": pl.String,
    "link": pl.String,
    "modality": pl.String,
    "lifecycle": pl.String,
}
# GitHub repositories whose activity is collected; purpose: the dimension they count towards (model, infra, eval).
GITHUB_REPO_SCHEMA = {"org": pl.String, "repo": pl.String, "purpose": pl.String}


@dataclass(frozen=True)
class Registry:
    source: str
    organisations: tuple[str, ...]
    accounts: pl.DataFrame
    constants: pl.DataFrame  # one row per (org, constant) for every registered org, defaults applied
    model_labels: pl.DataFrame
    dataset_labels: pl.DataFrame
    curated: pl.DataFrame
    extra_datasets: pl.DataFrame
    # Known anomalies accepted for a month (see osir_assets/quality/waivers.py).
    waivers: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=WAIVER_SCHEMA))
    # GitHub repositories whose activity is collected (OSIR's own registry lists them; the OSIR-LMTS layout has none).
    github_repos: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=GITHUB_REPO_SCHEMA))

    def curated_for(self, dimension: str, month: dt.date) -> pl.DataFrame:
        """The curated table in force for ``month``: the latest one published for that month or before."""
        rows = self.curated.filter((pl.col("dimension") == dimension) & (pl.col("month") <= month))
        if rows.is_empty():
            return rows
        latest = rows.get_column("month").max()
        return rows.filter(pl.col("month") == latest)

    def waivers_for(self, month: dt.date) -> pl.DataFrame:
        return self.waivers.filter(pl.col("waiver_month") == month.replace(day=1))

    def accounts_on(self, platform: str) -> pl.DataFrame:
        return self.accounts.filter(pl.col("platform") == platform)

"""The scorecards' configuration: category weights, licence classes and thresholds, from a YAML file.

The default ships in the package (``scorecards/scorecard.yaml``); ``OSIR_SCORECARDS`` names another. Each month
stores the configuration it was scored with (table ``scorecard_profile``: section, key, label, value), so the
SQL reads its weights from the database and a card can always be explained with the numbers that made it.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
from dagster import ConfigurableResource
from pydantic import Field

from osir_assets.errors import OsirInputError
from osir_assets.lib.package_files import package_path
from osir_assets.lib.yamlfile import read_yaml

DEFAULT_CONFIG = package_path("scorecards", "scorecard.yaml")
CATEGORIES = ("popularity", "activity", "operational", "security")
SETTINGS = ("unlisted_licence_points", "maturity_months", "fresh_months", "stale_months", "recency_days")
PROFILE_SCHEMA = {"section": pl.String, "key": pl.String, "label": pl.String, "value": pl.Float64}


class ScorecardConfig(ConfigurableResource):
    """Where the scorecard configuration is read from (empty: the packaged default)."""

    path: str = Field(default="", description="Scorecard YAML (OSIR_SCORECARDS); empty: osir_assets/scorecards/scorecard.yaml.")

    @classmethod
    def from_environment(cls) -> "ScorecardConfig":
        return cls(path=os.environ.get("OSIR_SCORECARDS", ""))

    def load(self) -> dict:
        path = Path(self.path) if self.path else DEFAULT_CONFIG
        config = read_yaml(path)
        weights = config.get("weights") or {}
        if set(weights) != set(CATEGORIES) or any(not isinstance(w, (int, float)) or w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
            raise OsirInputError(f"weights must give each of {', '.join(CATEGORIES)} a number >= 0 (not all 0)", str(path))
        missing = [k for k in (*SETTINGS, "licence_classes", "access_points", "typosquat") if k not in config]
        if missing:
            raise OsirInputError(f"missing settings: {', '.join(missing)}", str(path))
        if int(config["typosquat"].get("max_edits", 1)) not in (0, 1):
            raise OsirInputError("typosquat max_edits must be 0 or 1 (look-alikes are blocked on one-deletion neighbourhoods)", str(path))
        return config

    def profile_table(self) -> pl.DataFrame:
        """The configuration as rows: weights (normalised to sum 1), licence points, access points, settings."""
        config = self.load()
        total = sum(config["weights"].values())
        rows = [("weight", c, None, config["weights"][c] / total) for c in CATEGORIES]
        rows += [("licence", str(lic).lower(), cls, float(spec["points"])) for cls, spec in config["licence_classes"].items() for lic in spec["licences"]]
        rows += [("access", k, None, float(v)) for k, v in config["access_points"].items()]
        rows += [("setting", k, None, float(config[k])) for k in SETTINGS]
        rows += [("typosquat", k, None, float(v)) for k, v in config["typosquat"].items()]
        # A licence listed in two classes keeps the first: the table is read top to bottom.
        return pl.DataFrame(rows, schema=PROFILE_SCHEMA, orient="row").unique(["section", "key"], keep="first", maintain_order=True)

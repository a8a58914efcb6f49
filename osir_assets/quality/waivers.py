"""Waivers: a known anomaly accepted for a month, with a reason, so the month can publish.

    # config/osir-waivers.yaml (OSIR-LMTS layout) or waivers.yaml (native registry)
    waivers:
      - month: 2025-08
        rule: cumulative_total_decreased
        asset: modelscope_model_repos        # optional: any asset when absent
        repository: Qwen/Qwen3-8B            # optional: the whole finding when absent
        reason: AI screenshot correction of a scraped 0 (SPEC section 10)
"""

import datetime as dt
from pathlib import Path

import polars as pl

from osir_assets.errors import OsirInputError
from osir_assets.lib.yamlfile import read_yaml

WAIVER_SCHEMA = {"waiver_month": pl.Date, "rule": pl.String, "asset": pl.String, "repository": pl.String, "reason": pl.String}


def load_waivers(path: Path) -> pl.DataFrame:
    if not path.exists():
        return pl.DataFrame(schema=WAIVER_SCHEMA)
    data = read_yaml(path)
    rows = []
    for number, entry in enumerate(data.get("waivers") or [], start=1):
        missing = [k for k in ("month", "rule", "reason") if not entry.get(k)]
        if missing:
            raise OsirInputError(f"waiver {number} lacks {', '.join(missing)} (every waiver names its month, rule and reason)", str(path))
        try:
            month = dt.datetime.strptime(str(entry["month"])[:7], "%Y-%m").date()
        except ValueError:
            raise OsirInputError(f"waiver {number}: month '{entry['month']}' is not YYYY-MM", str(path)) from None
        rows.append({"waiver_month": month, "rule": entry["rule"], "asset": entry.get("asset"), "repository": entry.get("repository"), "reason": str(entry["reason"])})
    return pl.DataFrame(rows, schema=WAIVER_SCHEMA)

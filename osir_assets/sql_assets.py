"""Every SQL file under dbt_like_sql/ as a month-partitioned asset (see lib/sql_assets.py for the format)."""

from pathlib import Path

from osir_assets.lib.sql_assets import build_sql_assets

SQL_ROOT = Path(__file__).resolve().parent.parent / "dbt_like_sql"


def sql_assets(upstream_keys):
    return build_sql_assets(SQL_ROOT, upstream_keys)

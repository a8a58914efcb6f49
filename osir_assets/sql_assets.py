"""Every SQL file under dbt_like_sql/ as a month-partitioned asset (see lib/sql_assets.py for the format)."""

from osir_assets.lib.package_files import SQL_ROOT
from osir_assets.lib.sql_assets import build_sql_assets


def sql_assets(upstream_keys):
    return build_sql_assets(SQL_ROOT, upstream_keys)

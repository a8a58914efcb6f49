"""What the audits said about a month, for people: the block that stopped it, warnings, waivers."""

import datetime as dt

import duckdb
import polars as pl

from osir_assets.lib.duckdb_store import table_exists


def month_block(con: duckdb.DuckDBPyConnection, month: dt.date) -> str | None:
    """Why the month was not (re)published, naming the asset and check at the root of it, or None."""
    if not table_exists(con, "month_blocks"):
        return None
    found = con.execute(
        """SELECT asset, reason FROM month_blocks WHERE month = $m
           ORDER BY reason LIKE 'blocked by%', asset LIMIT 1""",
        {"m": month},
    ).fetchone()
    if not found:
        return None
    asset, reason = found
    return reason if reason.startswith("blocked by") else f"{asset}: {reason}"


def month_findings(con: duckdb.DuckDBPyConnection, month: dt.date) -> pl.DataFrame:
    """Every finding of the month that did not simply pass: errors, warnings and waived ones."""
    if not table_exists(con, "audit_results"):
        return pl.DataFrame()
    return con.execute(
        """SELECT CASE WHEN waived_by IS NOT NULL THEN 'WAIVED' ELSE severity END AS status, asset, rule, failures, message,
                  coalesce(waived_by, sample) AS detail
           FROM audit_results WHERE month = $m AND NOT passed
           ORDER BY status = 'ERROR' DESC, status, asset, rule""",
        {"m": month},
    ).pl()


def describe(con: duckdb.DuckDBPyConnection, month: dt.date) -> list[str]:
    """Lines to print under a month's ranking: what to doubt, and what was accepted."""
    findings = month_findings(con, month)
    if findings.is_empty():
        return []
    lines = []
    for status in ("ERROR", "WARN", "WAIVED"):
        rows = findings.filter(pl.col("status") == status)
        if not rows.is_empty():
            lines.append(f"{status}: " + ", ".join(f"{a}.{r} ({n})" for a, r, n in rows.select("asset", "rule", "failures").iter_rows()))
    for asset, rule, reason in findings.filter(pl.col("status") == "WAIVED").select("asset", "rule", "detail").iter_rows():
        lines.append(f"  waiver {asset}.{rule}: {reason}")
    return lines

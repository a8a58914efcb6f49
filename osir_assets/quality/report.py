"""What the audits said about a month, for people: warnings, and what waivers accepted.

A waived finding is printed as waived, with the severity it had: a waived ERROR is an accepted error (the
month was published because of the waiver), never a warning. Why a month was blocked is
``osir_assets/lib/month_status.py: month_block``.
"""

import datetime as dt

import duckdb
import polars as pl

from osir_assets.lib.duckdb_store import table_exists
from osir_assets.lib.formatting import count, formatted
from osir_assets.quality.findings import Finding


def month_findings(con: duckdb.DuckDBPyConnection, month: dt.date) -> pl.DataFrame:
    """Every finding of the month that did not simply pass: errors, warnings and waived ones."""
    if not table_exists(con, "audit_results"):
        return pl.DataFrame()
    return con.execute(
        """SELECT CASE WHEN waived_by IS NOT NULL THEN 'WAIVED' ELSE severity END AS status, severity, asset, rule, failures, message,
                  coalesce(waived_by, sample) AS detail
           FROM audit_results WHERE month = $m AND NOT passed
           ORDER BY status = 'ERROR' DESC, status, severity, asset, rule""",
        {"m": month},
    ).pl()


def describe(con: duckdb.DuckDBPyConnection, month: dt.date) -> list[str]:
    """Lines to print under a month's ranking: what to doubt, and what was accepted."""
    findings = month_findings(con, month)
    if findings.is_empty():
        return []
    lines = []
    for label, status, severity in (("ERROR", "ERROR", "ERROR"), ("WARN", "WARN", "WARN"), ("WAIVED ERROR", "WAIVED", "ERROR"), ("WAIVED WARN", "WAIVED", "WARN")):
        rows = findings.filter((pl.col("status") == status) & (pl.col("severity") == severity))
        if not rows.is_empty():
            lines.append(f"{label}: " + ", ".join(f"{a}.{r} ({formatted(n, count)})" for a, r, n in rows.select("asset", "rule", "failures").iter_rows()))
    for asset, rule, severity, reason in findings.filter(pl.col("status") == "WAIVED").select("asset", "rule", "severity", "detail").iter_rows():
        lines.append(f"  waiver of {severity} {asset}.{rule}: {reason}")
    return lines


def findings_summary(findings: list[Finding]) -> str:
    """The failed findings of one asset's month in a progress line: open warnings, then what waivers accepted."""
    failed = [f for f in findings if not f.passed]
    warned = [f"{f.rule} ({formatted(f.count, count)})" for f in failed if f.waived_by is None]
    waived = [f"{f.severity} {f.rule} ({formatted(f.count, count)})" for f in failed if f.waived_by is not None]
    return "; ".join(([f"warnings: {', '.join(warned)}"] if warned else []) + ([f"waived: {', '.join(waived)}"] if waived else []))

"""Write, audit, publish: a month's new rows are staged, audited, and published only if no ERROR remains.

Findings go to ``audit_results``; a month whose audit failed, or whose inputs were blocked, is recorded
in ``month_blocks`` with the reason, and every asset reading that month (or a month that needs it)
skips it and says why. What was published before stays as it was.
"""

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from osir_assets.lib.duckdb_store import bind, publish_month, staged_rows, table_columns, table_exists
from osir_assets.lib.package_files import package_path
from osir_assets.progress import report
from osir_assets.quality.config import QualityConfig
from osir_assets.quality.expectations import TableRules, start_validation
from osir_assets.quality.findings import ERROR, Finding
from osir_assets.quality.waivers import WAIVER_SCHEMA

# Audited steps wait for the validation worker to start (seconds of importing great_expectations): among
# the steps ready to run, the others go first and hide that wait.
AUDITED_STEP_TAGS = {"dagster/priority": "-1"}

ANOMALY_SQL = package_path("quality", "sql", "source_anomalies.sql").read_text(encoding="utf-8")
ANOMALY_RULES = (
    "repeated_records", "counter_not_collected", "cumulative_total_decreased", "downloads_collapsed", "downloads_jump",
    "unmapped_accounts", "repo_count_halved", "label_coverage", "junk_labels",
)


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """CREATE TABLE IF NOT EXISTS audit_results (month DATE, asset VARCHAR, rule VARCHAR, severity VARCHAR, passed BOOLEAN,
           message VARCHAR, failures BIGINT, sample VARCHAR, waived_by VARCHAR)"""
    )
    con.execute("CREATE TABLE IF NOT EXISTS month_blocks (month DATE, asset VARCHAR, reason VARCHAR)")


def upstream_block(con: duckdb.DuckDBPyConnection, month: dt.date, upstream: list[tuple[str, int, int]]) -> str | None:
    """The reason this month cannot be computed, if an input month it reads is blocked."""
    if not upstream:
        return None
    wanted = []
    for asset, start, end in upstream:
        first = _shift(month, start)
        wanted.append((asset, first, _shift(month, end)))
    found = con.execute(
        """SELECT b.asset, b.month, b.reason FROM month_blocks AS b
           JOIN (SELECT unnest($assets) AS asset, unnest($firsts) AS first, unnest($lasts) AS last) AS w
             ON w.asset = b.asset AND b.month BETWEEN w.first AND w.last
           ORDER BY b.month DESC LIMIT 1""",
        {"assets": [w[0] for w in wanted], "firsts": [w[1] for w in wanted], "lasts": [w[2] for w in wanted]},
    ).fetchone()
    if not found:
        return None
    asset, blocked_month, reason = found
    return reason if reason.startswith("blocked by") else f"blocked by {asset} {blocked_month:%Y-%m}: {reason}"


def _shift(month: dt.date, offset: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + max(offset, -1200)
    return dt.date(max(index // 12, 1), index % 12 + 1, 1)


def set_block(con, month: dt.date, asset: str, reason: str | None) -> None:
    con.execute("DELETE FROM month_blocks WHERE month = $m AND asset = $a", {"m": month, "a": asset})
    if reason:
        con.execute("INSERT INTO month_blocks VALUES ($m, $a, $r)", {"m": month, "a": asset, "r": reason})


def record(con, month: dt.date, asset: str, findings: list[Finding]) -> None:
    con.execute("DELETE FROM audit_results WHERE month = $m AND asset = $a", {"m": month, "a": asset})
    if findings:
        rows = pl.DataFrame([f.as_row(month, asset) for f in findings])
        con.register("_findings", rows.to_arrow())
        con.execute("INSERT INTO audit_results BY NAME SELECT * FROM _findings")
        con.unregister("_findings")


def apply_waivers(findings: list[Finding], waivers: pl.DataFrame, asset: str) -> None:
    """A waiver accepts a finding of its month and rule (for one repository, or all of them)."""
    for finding in findings:
        if finding.passed or waivers.is_empty():
            continue
        matching = waivers.filter((pl.col("rule") == finding.rule) & (pl.col("asset").is_null() | (pl.col("asset") == asset)))
        if matching.is_empty():
            continue
        whole = matching.filter(pl.col("repository").is_null())
        covered = set(matching.get_column("repository").drop_nulls().to_list())
        if not whole.is_empty():
            finding.waived_by = whole.get_column("reason")[0]
        elif finding.subjects and set(finding.subjects) <= covered:
            finding.waived_by = "; ".join(matching.filter(pl.col("repository").is_in(finding.subjects)).get_column("reason").unique(maintain_order=True).to_list())


WAIVERS_TABLE = "registry_waivers"


def stored_waivers(con: duckdb.DuckDBPyConnection):
    """month -> that month's waivers, as the registry stored them (registry_waivers): an audit reads the
    registry snapshot its month was taken with, not the files as they are now."""
    frame = (
        con.execute(f"SELECT waiver_month, rule, asset, repository, reason, month FROM {WAIVERS_TABLE}").pl()
        if table_exists(con, WAIVERS_TABLE)
        else pl.DataFrame(schema={**WAIVER_SCHEMA, "month": pl.Date})
    )
    return lambda month: frame.filter(pl.col("month") == month).drop("month")


def source_anomalies(con, staged: str, table: str, month: dt.date, registry, kind: str, config: QualityConfig) -> list[Finding]:
    """Month-over-month and registry findings of a platform snapshot's month (SQL, set-based)."""
    labels = registry.model_labels if kind == "model" else registry.dataset_labels
    con.register("accounts", registry.accounts.select("org", "platform", "account").to_arrow())
    con.register("labels", labels.select("label_key", "modality").to_arrow())
    # Earlier months: the staged ones of this run, else what was published.
    published = f'(SELECT * FROM "{staged}"' + (
        f' UNION ALL BY NAME SELECT * FROM "{table}" WHERE month NOT IN (SELECT DISTINCT month FROM "{staged}"))' if table_exists(con, table) else ")"
    )
    incoming = f'(SELECT * FROM "{staged}" WHERE month = $month)'
    sql = ANOMALY_SQL.replace("FROM incoming", f"FROM {incoming}").replace("FROM published", f"FROM {published}")
    params = {
        "month": month,
        "previous_month": _shift(month, -1),
        "collapse_min": config.collapse_min_downloads,
        "jump_factor": config.jump_factor,
        "jump_min": config.jump_min_downloads,
        "drop_ratio": config.repo_count_drop_ratio,
    }
    try:
        rows = con.execute(sql, bind(sql, params)).pl()
    finally:
        con.unregister("accounts")
        con.unregister("labels")
    findings = []
    for rule in ANOMALY_RULES:
        # Largest values first, then by name: the sample in findings.csv is the same on every rerun.
        hits = rows.filter(pl.col("rule") == rule).sort(["value", "subject"], descending=[True, False], nulls_last=True)
        finding = Finding(rule, config.severity_of(rule), hits.is_empty(), f"{rule}: none" if hits.is_empty() else f"{rule}: {hits.height}")
        if not hits.is_empty():
            finding.count = hits.height
            finding.subjects = hits.get_column("subject").to_list()
            finding.sample = hits.head(5).select("subject", "value", "previous").to_dicts()
        findings.append(finding)
    return findings


def start_structural_findings(con, staged: str, rules: TableRules, expected_columns: list[str], config: QualityConfig) -> Callable[[], list[Finding]]:
    """Hand the staged rows to great_expectations; the returned function waits for the findings."""
    columns = table_columns(con, staged)
    wanted = [c for c in rules.needed_columns() if c in columns]
    schema_rules = TableRules(columns=tuple(expected_columns), not_null=rules.not_null, unique=rules.unique, minimum=rules.minimum,
                              between=rules.between, truthy=rules.truthy, exact_columns=rules.exact_columns, identity=rules.identity)
    folder = Path(tempfile.mkdtemp(prefix="osir-audit-"))
    try:
        rows_file = folder / f"{staged}.parquet"
        select = ", ".join(f'"{c}"' for c in wanted) or "1 AS _"
        con.execute(f"COPY (SELECT {select} FROM \"{staged}\") TO '{rows_file}' (FORMAT parquet, COMPRESSION uncompressed)")
        severities = {rule: config.severity_of(rule, ERROR) for rule in rule_names(schema_rules)}
        pending = start_validation(rows_file, schema_rules, columns, severities)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise

    def findings() -> list[Finding]:
        try:
            return pending()
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    return findings


def parse_audits(lines: list[str]) -> TableRules:
    """``unique(a, b); not_null(a); minimum(x=0); between(y=0:1); true(flag=rule_name)`` -> TableRules."""
    rules: dict = {"not_null": (), "unique": (), "minimum": {}, "between": {}, "truthy": {}}
    for clause in (c.strip() for line in lines for c in line.split(";") if c.strip()):
        name, _, body = clause.partition("(")
        items = [i.strip() for i in body.rstrip(")").split(",") if i.strip()]
        if name in ("unique", "not_null"):
            rules[name] = tuple(items)
        elif name == "minimum":
            rules["minimum"].update({k.strip(): float(v) for k, v in (i.split("=") for i in items)})
        elif name == "between":
            rules["between"].update({k.strip(): tuple(float(x) for x in v.split(":")) for k, v in (i.split("=") for i in items)})
        elif name == "true":
            rules["truthy"].update({k.strip(): v.strip() for k, v in (i.split("=") for i in items)})
        else:
            raise ValueError(f"unknown audit '{clause}' (known: unique, not_null, minimum, between, true)")
    return TableRules(exact_columns=False, identity=rules["unique"], **rules)


def rule_names(rules: TableRules, anomalies: bool = False) -> list[str]:
    names = ["schema"]
    names += ["not_null_keys"] if rules.not_null else []
    names += ["unique_keys"] if rules.unique else []
    names += ["non_negative"] if rules.minimum else []
    names += ["in_range"] if rules.between else []
    names += list(dict.fromkeys(rules.truthy.values()))
    return names + (list(ANOMALY_RULES) if anomalies else [])


class MonthAudit:
    """The findings of one asset's month, and what follows from them."""

    def __init__(self, asset: str, month: dt.date, findings: list[Finding]):
        self.asset, self.month, self.findings = asset, month, findings

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocks]

    def conclude(self, con, published: bool) -> str | None:
        """Record the findings and the month's block; returns the block reason, if any."""
        record(con, self.month, self.asset, self.findings)
        reason = None if published else "; ".join(f"check {f.rule} failed ({f.message})" for f in self.blocking)
        set_block(con, self.month, self.asset, reason)
        return reason


def audit_staged(con, asset: str, table: str, staged: str, months: list[dt.date], rules: TableRules, config: QualityConfig,
                 waivers_for, expected_columns: list[str] | None = None, anomalies=None) -> dict:
    """Audit every staged month at once (one great_expectations validation per asset and run), then split
    the findings by month. Returns {month: MonthAudit}."""
    if expected_columns is None:  # a SQL table keeps the columns it was published with; new ones may be added
        expected_columns = table_columns(con, table) or []
    by_month = TableRules(not_null=rules.not_null, unique=("month", *rules.unique) if rules.unique else (), minimum=rules.minimum,
                          between=rules.between, truthy=rules.truthy, exact_columns=rules.exact_columns, identity=("month", *rules.identity))
    pending = start_structural_findings(con, staged, by_month, expected_columns, config)
    try:  # the anomaly SQL runs here while great_expectations validates in its worker
        anomaly_findings = {month: anomalies(con, staged, month) for month in months} if anomalies else {}
    finally:
        findings = pending()
    audits = {}
    for month in months:
        tag = month.isoformat() + "/"
        mine = []
        for f in findings:
            # Subjects start with the month (a date or a timestamp, as pandas gives it back).
            subjects = [s.split("/", 1)[1] for s in f.subjects if s[:10] == tag[:-1]]
            failed_here = bool(subjects) or (not f.passed and (f.rule == "schema" or not f.subjects))
            sample = [{k: v for k, v in row.items() if k != "month"} for row in f.sample if str(row.get("month", tag[:-1]))[:10] == tag[:-1]]
            mine.append(Finding(f.rule, f.severity, not failed_here, f.message if failed_here else f"{f.rule}: all rows pass",
                                len(subjects) if f.subjects else (f.count if failed_here else 0), sample, subjects))
        mine += anomaly_findings.get(month, [])
        apply_waivers(mine, waivers_for(month), asset)
        audits[month] = MonthAudit(asset, month, mine)
    return audits


# Write-audit-publish takes the months of a run together, one great_expectations validation for all of them,
# until their staged rows reach this many: then they are audited and published before the next months are
# staged. Memory then follows the largest month rather than the length of the run, and small months still
# share one validation.
AUDIT_BATCH_ROWS = 500_000


def audit_batch_full(con, staged: str) -> bool:
    """The staged months reach AUDIT_BATCH_ROWS: time to audit and publish them."""
    return staged_rows(con, staged) >= AUDIT_BATCH_ROWS


def audit_and_publish(con, context, asset: str, table: str, staged: str, months: list[dt.date], rules: TableRules, config: QualityConfig,
                      waivers_for, anomalies, published: Callable) -> tuple[dict, dict, list["MonthAudit"]]:
    """Audit a source's staged months, publish each month with no ERROR left, drop the staging table.

    ``published(month, rows, failed_findings)`` words the progress line of a published month. Returns (rows by
    month, block reason by month, the audits), keyed by ISO month."""
    audits = (
        audit_staged(con, asset, table, staged, months, rules, config, waivers_for, list(rules.columns), anomalies)
        if config.enabled
        else {month: MonthAudit(asset, month, []) for month in months}
    )
    rows, blocked = {}, {}
    for month, audit in audits.items():
        key = month.isoformat()
        if audit.blocking:
            blocked[key] = audit.conclude(con, published=False)
            report(context, f"{asset}: {month:%Y-%m} NOT published, {blocked[key]}")
            continue
        rows[key] = publish_month(con, table, staged, month)
        audit.conclude(con, published=True)
        report(context, published(month, rows[key], [f for f in audit.findings if not f.passed]))
    con.execute(f'DROP TABLE IF EXISTS "{staged}"')
    return rows, blocked, list(audits.values())


AUDIT_CHECK = "audit"


def audit_check_specs(keys, rules: list[str]) -> list:
    """One check per asset key: the month's whole audit. Its rules are listed in the description, and each
    rule's outcome is in the result's metadata; one check rather than one per rule keeps a run's event
    log (and the time it costs) small."""
    from dagster import AssetCheckSpec

    description = f"write-audit-publish: {', '.join(rules)} (ERROR-level failures block the month)"
    return [AssetCheckSpec(AUDIT_CHECK, asset=key, description=description) for key in keys]


def check_results(keys, names: list[str], audits: list["MonthAudit"], config: QualityConfig, blocked: dict) -> list:
    """The audit check's result per key, summing up the run's months: per rule, the months it failed in,
    with counts, messages, samples and waivers."""
    from dagster import AssetCheckResult, AssetCheckSeverity

    if not config.enabled:
        said = "not audited: audits are off in the quality configuration (enabled: false)"
        return [AssetCheckResult(asset_key=key, check_name=AUDIT_CHECK, passed=False, severity=AssetCheckSeverity.WARN, description=said) for key in keys]
    if not audits:  # every month of the run was blocked upstream: nothing was there to audit
        said = "not audited: " + "; ".join(f"{m} {r}" for m, r in blocked.items())
        return [AssetCheckResult(asset_key=key, check_name=AUDIT_CHECK, passed=False, severity=AssetCheckSeverity.WARN, description=said) for key in keys]
    failures = {}
    for audit in audits:
        for f in audit.findings:
            if not f.passed:
                failures.setdefault(f.rule, {})[audit.month.isoformat()] = {
                    "severity": f.severity, "count": f.count, "message": f.message, "sample": [str(x) for x in f.sample[:5]], "waived_by": f.waived_by,
                }
    open_failures = {rule: {m: v for m, v in months.items() if not v["waived_by"]} for rule, months in failures.items()}
    errors = sorted(rule for rule, months in open_failures.items() if any(v["severity"] == "ERROR" for v in months.values()))
    warnings = sorted(rule for rule, months in open_failures.items() if months and rule not in errors)
    waived = sorted(rule for rule, months in failures.items() if any(v["waived_by"] for v in months.values()))
    said = [f"{r} failed in {', '.join(open_failures[r])}" for r in errors] + [f"{r} warned in {', '.join(open_failures[r])}" for r in warnings]
    said += [f"{r} waived" for r in waived]
    description = "; ".join(said) if said else f"all {len({f.rule for a in audits for f in a.findings})} rules pass"
    metadata = {
        "rules": names,
        "months_checked": sorted({a.month.isoformat() for a in audits}),
        "months_blocked_upstream": dict(blocked),
        "failures": failures,
    }
    severity = AssetCheckSeverity.ERROR if errors else AssetCheckSeverity.WARN
    return [
        AssetCheckResult(asset_key=key, check_name=AUDIT_CHECK, passed=not errors and not warnings, severity=severity, description=description, metadata=metadata)
        for key in keys
    ]

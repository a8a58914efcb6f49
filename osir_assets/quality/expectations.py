"""Structural expectation suites, validated with great_expectations on a month's rows.

great_expectations 1.x has no polars or DuckDB data source: a month's rows go through pandas, into an
ephemeral context with a whole-dataframe batch. Importing great_expectations takes seconds, so it is
started in the background the first time a suite is built and waited for only when a suite runs.
"""

import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from osir_assets.quality.findings import ERROR, Finding

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
_import_started = threading.Event()


def warm_up() -> None:
    """Import great_expectations in a background thread, once per process."""
    if not _import_started.is_set():
        _import_started.set()
        threading.Thread(target=lambda: __import__("great_expectations"), daemon=True, name="gx-import").start()


@dataclass(frozen=True)
class TableRules:
    """The structural rules of one table. Every rule failing is an ERROR unless configured otherwise."""

    columns: tuple[str, ...] = ()  # the table's schema: exactly these columns
    not_null: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()  # compound key, unique within the month
    minimum: dict = field(default_factory=dict)  # column -> smallest allowed value
    between: dict = field(default_factory=dict)  # column -> (low, high)
    truthy: dict = field(default_factory=dict)  # column -> the rule that fails when a value is not true
    exact_columns: bool = True  # False: the columns must be present, more are allowed
    identity: tuple[str, ...] = ()  # columns naming an offending row (e.g. account, name) in findings

    def needed_columns(self) -> list[str]:
        wanted = [*self.identity, *self.not_null, *self.unique, *self.minimum, *self.between, *self.truthy]
        return list(dict.fromkeys(wanted))


@lru_cache(maxsize=1)
def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    batches = context.data_sources.add_pandas("osir").add_dataframe_asset("month_rows").add_batch_definition_whole_dataframe("whole_month")
    return gx, context, batches


def _suite(gx, rules: TableRules, present: list[str]) -> list:
    expectations = []
    if rules.columns:
        expectations.append(("schema", gx.expectations.ExpectTableColumnsToMatchSet(column_set=list(rules.columns), exact_match=rules.exact_columns)))
    for column in rules.not_null:
        if column in present:
            expectations.append(("not_null_keys", gx.expectations.ExpectColumnValuesToNotBeNull(column=column)))
    if len(rules.unique) == 1 and rules.unique[0] in present:
        expectations.append(("unique_keys", gx.expectations.ExpectColumnValuesToBeUnique(column=rules.unique[0])))
    elif rules.unique and all(c in present for c in rules.unique):
        expectations.append(("unique_keys", gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=list(rules.unique))))
    for column, low in rules.minimum.items():
        if column in present:
            expectations.append(("non_negative", gx.expectations.ExpectColumnValuesToBeBetween(column=column, min_value=low)))
    for column, (low, high) in rules.between.items():
        if column in present:
            expectations.append(("in_range", gx.expectations.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high)))
    for column, rule in rules.truthy.items():
        if column in present:
            expectations.append((rule, gx.expectations.ExpectColumnValuesToBeInSet(column=column, value_set=[True])))
    return expectations


def _signature(kind: str, column, column_list) -> tuple:
    return kind, column, tuple(column_list or ())


def validate(frame: pl.DataFrame, rules: TableRules, all_columns: list[str], severity_of) -> list[Finding]:
    """Run the table's suite on the month's rows; one finding per rule (passed or not)."""
    warm_up()
    gx, context, batches = _context()
    present = [c for c in rules.needed_columns() if c in frame.columns]
    data = frame.select(present).to_pandas() if present else frame.select(pl.lit(0).alias("_")).to_pandas()
    for name in all_columns:  # the schema expectation sees the table's full column list
        if name not in data.columns:
            data[name] = None
    suite = gx.ExpectationSuite(name="month")
    named = _suite(gx, rules, present)
    for _, expectation in named:
        suite.add_expectation(expectation)
    if not named:
        return []
    batch = batches.get_batch(batch_parameters={"dataframe": data[[c for c in all_columns] if rules.columns else data.columns]})
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": list(rules.identity)} if rules.identity else {"result_format": "SUMMARY", "partial_unexpected_count": 5}
    result = batch.validate(suite, result_format=result_format)
    # Results do not come back in suite order: match them to their rule by expectation type and columns.
    rule_of = {_signature(e.expectation_type, e.column if hasattr(e, "column") else None, getattr(e, "column_list", None)): rule for rule, e in named}
    by_rule: dict[str, Finding] = {}
    for outcome in result.results:
        details = outcome.result or {}
        config = outcome.expectation_config
        rule = rule_of[_signature(config.type, config.kwargs.get("column"), config.kwargs.get("column_list"))]
        column = config.kwargs.get("column") or ",".join(config.kwargs.get("column_list") or [])
        if rule == "schema":
            mismatch = (details.get("details") or {}).get("mismatched") or {}
            message = "columns " + "; ".join(f"{k}: {', '.join(map(str, v))}" for k, v in mismatch.items()) if mismatch else "schema as declared"
            count, sample, subjects = sum(len(v) for v in mismatch.values()), [], []
        else:
            count = int(details.get("unexpected_count") or 0)
            offending = details.get("unexpected_index_list") or []
            sample = [dict(row) for row in offending[:5]] if offending else [{column: v} for v in (details.get("partial_unexpected_list") or [])[:5]]
            subjects = ["/".join(str(row.get(c)) for c in rules.identity) for row in offending if isinstance(row, dict)]
            message = f"{config.type} on {column}: {count} rows" if count else f"{config.type} on {column}"
        finding = by_rule.setdefault(rule, Finding(rule, severity_of(rule, ERROR), True, ""))
        finding.passed = finding.passed and bool(outcome.success)
        if not outcome.success:
            finding.count += count
            finding.sample += sample
            finding.subjects += subjects if rule != "schema" else []
            finding.message = f"{finding.message}; {message}".strip("; ")
    for finding in by_rule.values():
        if finding.passed:
            finding.message = f"{finding.rule}: all rows pass"
    return list(by_rule.values())

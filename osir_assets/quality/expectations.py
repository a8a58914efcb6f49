"""Structural expectation suites, validated with great_expectations on a month's rows.

great_expectations takes about 3 s and 250 MB to import, and its validations are Python-bound. So they run
in one worker process per OSIR process, started (and importing great_expectations) when a run begins: the
import overlaps the run's first steps on the other core, the GIL is not shared, and the DuckDB process
stays small. great_expectations 1.x has no polars or DuckDB data source: in the worker a month's rows go
through pandas, into an ephemeral context with a whole-dataframe batch.
"""

import atexit
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

from osir_assets.quality.findings import Finding

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


class ValidationWorker:
    """A Python process that imports great_expectations once and validates suites sent to it (pickled over
    its stdin and stdout). A plain subprocess rather than multiprocessing: spawn would re-run the caller's
    main script, which not every script guards against."""

    def __init__(self):
        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen([sys.executable, "-m", "osir_assets.quality.gx_worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.lock = threading.Lock()

    def submit(self, *arguments) -> Callable[[], Any]:
        """Send a validation and return at once; calling the returned function waits for its findings.
        The caller does other work meanwhile, and must call it exactly once (one request at a time)."""
        self.lock.acquire()
        try:
            pickle.dump(arguments, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as lost:
            self.lock.release()
            raise RuntimeError(f"the great_expectations worker process exited (code {self.process.poll()}): {lost}") from lost

        def result():
            try:
                status, value = pickle.load(self.process.stdout)
            except (EOFError, OSError) as lost:
                raise RuntimeError(f"the great_expectations worker process exited (code {self.process.poll()}): {lost}") from lost
            finally:
                self.lock.release()
            if status != "ok":
                raise RuntimeError(f"great_expectations failed in the worker process:\n{value}")
            return value

        return result

    def close(self, wait: bool = True) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()  # the worker exits at the end of its input
            if not wait:
                return
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


_worker: ValidationWorker | None = None
_worker_lock = threading.Lock()


def warm_up() -> ValidationWorker:
    """The validation worker, started on first use; starting it when a run begins hides its import."""
    global _worker
    with _worker_lock:
        if _worker is None or _worker.process.poll() is not None:
            _worker = ValidationWorker()
            atexit.register(_worker.close, wait=False)  # exiting need not wait for its interpreter to unwind
        return _worker


def worker_pid() -> int | None:
    """The running validation worker's process id (for measuring it), if any."""
    worker = _worker
    return worker.process.pid if worker is not None and worker.process.poll() is None else None


def stop_worker() -> None:
    """Stop the validation worker, if one runs (it also stops when this process exits)."""
    global _worker
    with _worker_lock:
        if _worker is not None:
            _worker.close()
            _worker = None


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
    from great_expectations.execution_engine import pandas_execution_engine

    # The pandas engine fingerprints every batch below this size by hashing all of its rows, twice per
    # validation: 70% of a million-row month's validation time, for a batch marker nothing here reads.
    # Frames above the threshold already go without one; with 0, every frame does.
    pandas_execution_engine.HASH_THRESHOLD = 0

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


def start_validation(rows_file: Path, rules: TableRules, all_columns: list[str], severities: dict[str, str]) -> Callable[[], list[Finding]]:
    """Start the table's suite on the rows in ``rows_file`` (Parquet) in the validation worker; the returned
    function waits for one finding per rule (passed or not). A file, not a pickled frame: DuckDB writes it
    in parallel and the rows never pass through this process's Python. ``severities``: rule -> ERROR or WARN."""
    return warm_up().submit(str(rows_file), rules, all_columns, severities)


def validate_here(rows_file: str, rules: TableRules, all_columns: list[str], severities: dict[str, str]) -> list[Finding]:
    gx, context, batches = _context()
    frame = pl.read_parquet(rows_file)
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
    # Nearly every audit passes: asking for pass or fail only takes half the time of collecting the offending
    # rows (11 ms against 21 ms for a small table's suite), so the rows are collected on a second pass, when needed.
    result = batch.validate(suite, result_format="BOOLEAN_ONLY")
    if not result.success:
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
        finding = by_rule.setdefault(rule, Finding(rule, severities[rule], True, ""))
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

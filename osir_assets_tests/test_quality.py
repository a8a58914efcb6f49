"""Write, audit, publish: a faulty month is refused, the months before it stay as they were, and
anomalies are listed (or, configured so, block) next to the month's scores."""

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
from dagster import DagsterEventType, DagsterInstance

from osir_assets.cli import main
from osir_assets.definitions import build_resources, python_assets
from osir_assets.lib.sql_assets import build_sql_assets
from osir_assets.quality.config import QualityConfig
from osir_assets.quality.expectations import TableRules, warm_up
from osir_assets.lib.month_status import month_block
from osir_assets.quality.report import month_findings
from osir_assets.runner import MonthFailed, materialize_months
from osir_assets.lib.package_files import SQL_ROOT
from osir_assets.synthetic import generate_archive
from osir_assets_tests.conftest import all_tables, month_hash

MONTHS = [dt.date(2024, 11, 1), dt.date(2024, 12, 1), dt.date(2025, 1, 1), dt.date(2025, 2, 1)]
FEB = MONTHS[-1]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """A four-month archive (Dec..Feb ranked), materialised once; tests work on copies."""
    root = tmp_path_factory.mktemp("quality")
    archive = generate_archive(root / "archive", orgs=5, models_per_org=30, datasets_per_org=10, months=4, seed=11)
    db = root / "osir.duckdb"
    materialize_months(MONTHS, build_resources(str(db), str(archive)))
    return archive, db


@pytest.fixture()
def workspace(baseline, tmp_path):
    archive, db = baseline
    return Path(shutil.copytree(archive, tmp_path / "archive")), Path(shutil.copy(db, tmp_path / "osir.duckdb"))


def run_month(db, archive, **options) -> None:
    """Materialise February; a run whose every month failed its audit stops with MonthFailed, by design."""
    assets = options.pop("assets", None)
    try:
        materialize_months([FEB], build_resources(str(db), str(archive), **options), assets=assets)
    except MonthFailed as failed:
        assert "audit" in str(failed) or "blocked" in str(failed), failed


def hashes(db):
    return {(t, m): month_hash(db, t, m) for t in all_tables(db) for m in MONTHS if t not in ("audit_results", "month_blocks")}


def feb_file(archive, platform, kind):
    return archive / "data" / "2025-02-14" / platform / f"raw-{kind}s-info.jsonl"


def edit(path, change):
    frame = pl.read_ndjson(path)
    change(frame).write_ndjson(path)


def sql_assets_with(tmp_path, file: str, replace: tuple[str, str]) -> list:
    """The graph with one SQL file changed: how a test plants a fault in a published table."""
    root = Path(shutil.copytree(SQL_ROOT, tmp_path / "sql"))
    text = (root / file).read_text()
    assert replace[0] in text
    (root / file).write_text(text.replace(*replace))
    return [*python_assets, *build_sql_assets(root, [k for a in python_assets for k in a.keys])]


def assert_feb_refused(db, before, rule):
    with duckdb.connect(str(db), read_only=True) as con:
        reason = month_block(con, FEB)
        findings = month_findings(con, FEB)
    assert reason and rule in reason, reason
    failed = findings.filter((pl.col("status") == "ERROR") & (pl.col("rule") == rule))
    assert failed.height >= 1 and failed["failures"][0] >= 1
    after = hashes(db)
    assert {k for k in before if before[k] != after[k]} <= {(t, FEB) for t in ("month_snapshot", "registry_accounts")}, "published tables changed"


def test_a_negative_raw_counter_blocks_the_month(workspace):
    archive, db = workspace
    before = hashes(db)
    edit(feb_file(archive, "HuggingFace", "model"), lambda f: f.with_columns(pl.when(pl.int_range(f.height) == 3).then(-5).otherwise(pl.col("downloads_last_month")).alias("downloads_last_month")))
    instance = DagsterInstance.ephemeral()
    with pytest.raises(MonthFailed, match="hf_model_repos: every month of this run failed its audit"):
        materialize_months([FEB], build_resources(str(db), str(archive)), instance=instance)
    assert_feb_refused(db, before, "non_negative")
    # What the Dagster UI shows: the asset's audit check failed, naming the rule, its month, the row.
    evaluations = [e.dagster_event.asset_check_evaluation_data for e in instance.all_logs(instance.get_runs()[0].run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)]
    audit = next(e for e in evaluations if e.asset_key.to_user_string() == "hf_model_repos")
    assert not audit.passed and audit.severity.value == "ERROR" and audit.check_name == "audit"
    assert "non_negative failed in 2025-02-01" in audit.description
    failure = audit.metadata["failures"].value["non_negative"]["2025-02-01"]
    assert failure["count"] == 1 and "-5" in " ".join(failure["sample"])
    with duckdb.connect(str(db), read_only=True) as con:
        sample = con.execute("SELECT sample FROM audit_results WHERE month = $m AND rule = 'non_negative' AND asset = 'hf_model_repos'", {"m": FEB}).fetchone()[0]
    assert "-5" in sample and "model-" in sample  # the offending row is named


@pytest.mark.parametrize(
    "file, change, rule",
    [
        ("indicators/data/data_tools.sql", ("WHERE u.month = $month", "WHERE u.month = $month UNION ALL SELECT 'monthly', 'data', 'operators', 18, 'Sample Org 1', 1.0"), "unique_keys"),
        ("indicators/model/model_chips.sql", ("u.org, coalesce(c.value, 0.0) AS value", "CASE WHEN u.org_position = 2 THEN NULL ELSE u.org END AS org, coalesce(c.value, 0.0) AS value"), "not_null_keys"),
        ("scores/normalised_indicators.sql", ("END AS normalised", "END * 2 AS normalised"), "in_range"),
        ("indicators/eval/eval_curated.sql", ("i.position, u.org", "u.org"), "schema"),
    ],
    ids=["repository-twice", "null-organisation", "normalised-out-of-range", "required-column-missing"],
)
def test_a_structural_fault_in_a_published_table_blocks_the_month(workspace, tmp_path, file, change, rule):
    archive, db = workspace
    before = hashes(db)
    run_month(db, archive, assets=sql_assets_with(tmp_path, file, change))
    assert_feb_refused(db, before, rule)


def test_reproduce_writes_good_months_and_names_the_failed_check(workspace, tmp_path, capsys):
    archive, _ = workspace
    edit(feb_file(archive, "ModelScope", "model"), lambda f: f.with_columns(pl.when(pl.int_range(f.height) == 0).then(-7).otherwise(pl.col("total_downloads")).alias("total_downloads")))
    out = tmp_path / "out"
    code = main(["reproduce", str(archive), "--out", str(out), "--db", str(tmp_path / "fresh.duckdb")])
    err = capsys.readouterr().err
    assert code == 1
    assert "2025-02 BLOCKED" in err and "check non_negative failed" in err and "modelscope_model_repos" in err
    assert (out / "2024-12-14" / "overall-rank.csv").exists() and (out / "2025-01-14" / "overall-rank.csv").exists()
    assert not (out / "2025-02-14").exists()


def test_a_dead_validation_worker_is_a_clear_error_and_a_new_one_takes_over():
    worker = warm_up()
    worker.process.kill()
    worker.process.wait()
    with pytest.raises(RuntimeError, match=r"great_expectations worker process exited \(code -9\)"):
        worker.submit("rows.parquet", TableRules(), [], {})()
    assert warm_up() is not worker and warm_up().process.poll() is None


def test_a_blocked_month_blocks_the_months_that_need_it(workspace, tmp_path):
    archive, db = workspace
    path = archive / "data" / "2025-01-14" / "ModelScope" / "raw-models-info.jsonl"
    edit(path, lambda f: f.with_columns(pl.when(pl.int_range(f.height) == 0).then(-7).otherwise(pl.col("total_downloads")).alias("total_downloads")))
    with pytest.raises(MonthFailed, match="blocked"):  # every month of the run is blocked: the run says so
        materialize_months(MONTHS[2:], build_resources(str(db), str(archive)))
    with duckdb.connect(str(db), read_only=True) as con:
        jan, feb = month_block(con, MONTHS[2]), month_block(con, FEB)
    assert "non_negative" in jan
    assert feb and "2025-01" in feb  # February's baselines and delta ranks read January


def test_large_months_are_audited_one_batch_at_a_time_with_the_same_outcome(workspace, tmp_path, monkeypatch):
    """A step audits its months together until their staged rows reach AUDIT_BATCH_ROWS: with a limit of one
    row every month is validated on its own (memory follows the largest month, not the run), and nothing a
    user sees changes: January is refused for its negative counter, December and February are published."""
    import osir_assets.quality.gate as gate

    archive, db = workspace
    default_limit = gate.AUDIT_BATCH_ROWS
    edit(feb_file(archive, "HuggingFace", "model").parents[2] / "2025-01-14" / "HuggingFace" / "raw-models-info.jsonl",
         lambda f: f.with_columns(pl.when(pl.int_range(f.height) == 2).then(-3).otherwise(pl.col("likes")).alias("likes")))
    validated = []
    real_start = gate.start_structural_findings
    monkeypatch.setattr(gate, "start_structural_findings", lambda con, staged, *a: validated.append(staged) or real_start(con, staged, *a))

    def outcome(limit: int, copy: Path):
        monkeypatch.setattr(gate, "AUDIT_BATCH_ROWS", limit)
        validated.clear()
        try:
            materialize_months(MONTHS[1:], build_resources(str(copy), str(archive)))
        except MonthFailed:
            pass  # downstream steps whose every month needs January: the blocks are compared below
        with duckdb.connect(str(copy), read_only=True) as con:
            blocks = con.execute("SELECT month, asset, reason FROM month_blocks WHERE reason IS NOT NULL ORDER BY ALL").fetchall()
            audits = con.execute("SELECT month, asset, rule, passed, failures, sample FROM audit_results ORDER BY ALL").fetchall()
            hf_months = con.execute("SELECT DISTINCT month FROM hf_model_repos ORDER BY 1").fetchall()
        return (validated.count("_staged_hf_model_repos"), validated.count("_staged_model_scorecards")), blocks, audits, hf_months, hashes(copy)

    one_row = outcome(1, Path(shutil.copy(db, tmp_path / "one-row.duckdb")))
    default = outcome(default_limit, Path(shutil.copy(db, tmp_path / "default.duckdb")))
    # hf_model_repos: three validations against one; model_scorecards (SQL, January skipped): two against one
    assert (one_row[0], default[0]) == ((3, 2), (1, 1))
    assert ("2025-01-01", "hf_model_repos") in {(str(m), a) for m, a, reason in one_row[1] if "non_negative" in reason}
    assert one_row[1:4] == default[1:4]
    assert {k for k in one_row[4] if one_row[4][k] != default[4][k]} == set()
    assert [str(m) for (m,) in one_row[3]] == ["2024-11-01", "2024-12-01", "2025-01-01", "2025-02-01"]  # January's earlier rows stay


ANOMALIES = {
    "cumulative_total_decreased": (("ModelScope", "model"), "total_downloads", lambda c: pl.when(pl.int_range(pl.len()) == 0).then(1).otherwise(c)),
    "downloads_collapsed": (("HuggingFace", "model"), "downloads_last_month", lambda c: pl.when(c >= 1000).then(0).otherwise(c)),
    "downloads_jump": (("HuggingFace", "model"), "downloads_last_month", lambda c: pl.when(pl.int_range(pl.len()) == 0).then(10_000_000).otherwise(c)),
}


@pytest.mark.parametrize("rule", list(ANOMALIES))
def test_an_anomaly_is_listed_raised_to_error_and_waived(workspace, rule):
    archive, db = workspace
    (platform, kind), column, change = ANOMALIES[rule]
    edit(feb_file(archive, platform, kind), lambda f: f.with_columns(change(pl.col(column)).alias(column)))

    run_month(db, archive)  # WARN by default: listed, published
    with duckdb.connect(str(db), read_only=True) as con:
        assert month_block(con, FEB) is None
        warned = month_findings(con, FEB).filter(pl.col("rule") == rule)
    assert warned["status"].to_list() == ["WARN"] and warned["failures"][0] >= 1

    strict = QualityConfig(severities={rule: "ERROR"})
    before = hashes(db)
    run_month(db, archive, quality=strict)
    assert_feb_refused(db, before, rule)

    (archive / "config" / "osir-waivers.yaml").write_text(f"waivers:\n  - month: 2025-02\n    rule: {rule}\n    reason: checked with the platform, the figure is right\n")
    run_month(db, archive, quality=strict)
    with duckdb.connect(str(db), read_only=True) as con:
        assert month_block(con, FEB) is None
        waived = month_findings(con, FEB).filter(pl.col("rule") == rule)
    assert waived["status"].to_list() == ["WAIVED"] and "checked with the platform" in waived["detail"][0]

"""Benchmark: score a synthetic month of 1,000,000 model cards and find its look-alikes.

The cards (``hf_model_cards``, factors given) are generated in DuckDB into a file first; then a fresh process
runs what the scorecard assets run for a month: the look-alike detection (polars + rapidfuzz), the points SQL
(``model_scorecard_points``) and the card SQL (``model_scorecards``), which together are the scoring (target:
under 5 s and 1 GB), then reads the explanation view (``model_scorecard_factors``, 25 rows per model: a month's rows
counted, and one card's read; timed apart), and prints each stage's wall time and the process's peak memory.
Printed, never asserted.

Run: ``.venv/bin/python bench/bench_scorecards.py [--models 1000000] [--accounts 150000] [--memory-limit 900MB]``.
CPU seconds are printed beside wall seconds: on a shared machine they say what the work costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402

MONTH = dt.date(2025, 2, 1)


def generate(db: Path, models: int, accounts: int) -> None:
    """Cards with heavy-tailed counts (downloads Pareto-like: about 1.3 % of the models reach 1,000 a month); names repeat across accounts (fine-tunes keep their base's name), and
    0.1 % of the models are look-alikes of a popular model (an owner with a visual confusion)."""
    from osir_assets.lib.duckdb_store import create_view, replace_month_from_frame
    from osir_assets.scorecards.config import ScorecardConfig

    with duckdb.connect(str(db)) as con:
        con.execute("SELECT setseed(0.42)")
        con.execute(
            f"""
            CREATE TABLE hf_model_cards AS
            WITH base AS (
                SELECT i, 'acct-' || CAST(floor(pow(random(), 2) * {accounts}) AS BIGINT) AS account,
                       'model-' || CAST(floor(pow(random(), 3) * {models // 5}) AS BIGINT) || '-' || (i % 7) AS name,
                       CAST(floor(pow(random(), -1.6)) - 1 AS BIGINT) AS downloads, random() AS r
                FROM range({models}) AS t(i)
            )
            SELECT DATE '{MONTH}' AS month, 'HuggingFace' AS platform,
                   CASE WHEN i % 1000 = 999 THEN replace(account, 'acct-', 'acct_') ELSE account END || '/' || name AS model,
                   CASE WHEN i % 1000 = 999 THEN replace(account, 'acct-', 'acct_') ELSE account END AS account, name,
                   CASE WHEN i % 1000 = 999 THEN 3 ELSE downloads END AS downloads,
                   CAST(floor(exp(r * 9)) AS BIGINT) AS likes, CAST(floor(exp(r * 4)) AS BIGINT) AS derived_models,
                   CAST(r * 6 AS INTEGER) AS papers, r > 0.7 AS github_linked, CAST(floor(exp(r * 5)) AS INTEGER) AS spaces,
                   CASE WHEN downloads >= 50 THEN CAST(floor(exp(r * 6)) AS BIGINT) END AS discussions,
                   CASE WHEN downloads >= 50 THEN CAST(floor(exp(r * 3)) AS BIGINT) END AS pull_requests,
                   CASE WHEN downloads >= 50 AND r > 0.2 THEN TIMESTAMP '2025-02-20' - to_days(CAST(r * 900 AS INTEGER)) END AS last_thread_at,
                   TIMESTAMP '2025-02-01' - to_days(CAST(r * 1500 AS INTEGER) + 10) AS created_at,
                   TIMESTAMP '2025-02-01' - to_days(CAST(r * 700 AS INTEGER)) AS last_modified,
                   CASE WHEN i % 10 = 0 THEN 'manual' WHEN i % 17 = 0 THEN 'auto' ELSE 'false' END AS gated,
                   ['apache-2.0', 'mit', 'llama3.1', 'cc-by-nc-4.0', 'gpl-3.0', '', 'other', 'my-own-licence'][1 + i % 8] AS license,
                   r > 0.3 AS has_metrics, r > 0.4 AS has_datasets, r > 0.5 AS has_base_model, r > 0.6 AS has_training_info,
                   r > 0.8 AS has_eval_results, r > 0.1 AS has_example_code, i % 6 <> 0 AS has_safetensors,
                   CASE WHEN i % 6 = 0 THEN ['pytorch_model.bin'] ELSE [] END AS pickle_files, i % 13 = 0 AS remote_code,
                   CASE WHEN downloads >= 50 THEN 3 END AS files_scanned,
                   CASE WHEN downloads >= 50 THEN CASE WHEN i % 600 = 0 THEN ['os.system'] ELSE [] END END AS dangerous_imports,
                   CASE WHEN downloads >= 50 THEN CAST([] AS VARCHAR[]) END AS infected_files, false AS partial
            FROM base
            QUALIFY row_number() OVER (PARTITION BY model) = 1
            """
        )
        # No ModelScope models and no leaderboard here: the union of cards is the Hugging Face ones.
        from osir_assets.lib.package_files import SQL_ROOT

        con.execute("CREATE TABLE modelscope_model_cards AS SELECT * FROM hf_model_cards LIMIT 0")
        create_view(con, "model_cards", (SQL_ROOT / "scorecards" / "model_cards.sql").read_text(encoding="utf-8"))
        con.execute("CREATE TABLE leaderboard_models (month DATE, model VARCHAR, official_provider BOOLEAN)")
        con.execute(
            f"CREATE TABLE registry_accounts AS SELECT DATE '{MONTH}' AS month, 'Org ' || (i % 5000) AS org, 'HuggingFace' AS platform, 'acct-' || i AS account FROM range(20000) AS t(i)"
        )
        replace_month_from_frame(con, "scorecard_profile", MONTH, ScorecardConfig().profile_table())


def score(db: Path, memory_limit: str) -> None:
    from osir_assets.lib.package_files import SQL_ROOT
    from osir_assets.lib.duckdb_store import create_view
    from osir_assets.scorecards.lookalikes import month_lookalikes

    con = duckdb.connect(str(db), config={"preserve_insertion_order": False, "memory_limit": memory_limit})
    params = {"month": MONTH}
    models = con.execute("SELECT count(*) FROM hf_model_cards").fetchone()[0]
    times: dict[str, tuple[float, float]] = {}  # stage -> (wall s, CPU s of all the process's threads)

    def timed(stage: str, work) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        times[stage] = (time.perf_counter() - wall, time.process_time() - cpu)

    def lookalikes() -> None:
        con.register("_pairs", month_lookalikes(con, MONTH).to_arrow())
        con.execute(f"CREATE OR REPLACE TABLE model_lookalikes AS SELECT DATE '{MONTH}' AS month, * FROM _pairs")

    def run_sql(name: str):
        sql = (SQL_ROOT / "scorecards" / f"{name}.sql").read_text(encoding="utf-8")
        return lambda: con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT CAST($month AS DATE) AS month, * FROM ({sql})", params)

    timed("look-alikes", lookalikes)
    for name in ("model_scorecard_points", "model_scorecards"):
        timed(name, run_sql(name))
    scoring_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The explanation is a view (25 rows per model, computed when read): a month's rows counted, and one card's read.
    create_view(con, "model_scorecard_factors", (SQL_ROOT / "scorecards" / "model_scorecard_factors.sql").read_text(encoding="utf-8"))
    timed("model_scorecard_factors", lambda: con.execute("SELECT count(*) FROM model_scorecard_factors WHERE month = $month", params).fetchone())
    one = con.execute("SELECT model FROM model_scorecards ORDER BY model LIMIT 1 OFFSET 5000").fetchone()[0]
    timed("one card (factors)", lambda: con.execute("SELECT * FROM model_scorecard_factors WHERE month = $month AND model = $model", {**params, "model": one}).fetchall())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pairs, factors = (con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("model_lookalikes", "model_scorecard_factors"))
    print(f"models={models:,}  look-alike pairs={pairs:,}  factor rows={factors:,}  DuckDB memory_limit={memory_limit}")
    for stage, (wall, cpu) in times.items():
        print(f"  {stage:<26} {wall:6.2f} s wall  {cpu:6.2f} s CPU")
    wall, cpu = (sum(times[s][i] for s in ("look-alikes", "model_scorecard_points", "model_scorecards")) for i in (0, 1))
    print(f"scoring + typosquat detection: {wall:.2f} s wall, {cpu:.2f} s CPU, peak memory {scoring_peak:,.0f} MB (target < 5 s and 1,024 MB)")
    month_rows, one_card = times["model_scorecard_factors"][0], times["one card (factors)"][0]
    print(f"the explanation view (model_scorecard_factors): a month's {factors:,} rows counted in {month_rows:.2f} s, one card's 25 read in {one_card * 1000:.0f} ms; peak memory {peak:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=150_000)
    parser.add_argument("--memory-limit", default="900MB", help="DuckDB memory limit, as OSIR_DUCKDB_MEMORY sets it for a run (default 900MB)")
    parser.add_argument("--score", help=argparse.SUPPRESS)  # the measuring child process
    args = parser.parse_args()
    if args.score:
        score(Path(args.score), args.memory_limit)
        return
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.duckdb"
        began = time.perf_counter()
        generate(db, args.models, args.accounts)
        print(f"generated the cards in {time.perf_counter() - began:.1f} s (not measured below)")
        subprocess.run([sys.executable, __file__, "--score", str(db), "--memory-limit", args.memory_limit], check=True)


if __name__ == "__main__":
    main()

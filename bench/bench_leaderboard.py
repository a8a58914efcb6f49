"""Benchmark: leaderboard analytics on a synthetic Open LLM Leaderboard of 1,000,000 rows (issue 12: under 3 s).

Writes a snapshot with the contents dataset's official columns (Parquet; 5% duplicated model ids, 1% flagged,
half of the models derived from a base), then times, in this process:

* ``read + normalise``: the Parquet file to the normalised entries (polars, osir_assets/leaderboard/source.py);
* ``analytics``: every SQL file of dbt_like_sql/leaderboard/ (deduplication, concentration, weekly series,
  derivatives, size buckets, improvement and its timeline; the ranking link needs a registry and is left
  out), each writing its month through the store's replace_month as the SQL factory does;

and, in a fresh process, ``osir analytics --leaderboard FILE`` end to end (Dagster, audits on and off), the figure
a user waits for. Prints figures and the machine's load; asserts nothing.

    python bench/bench_leaderboard.py [--rows 1000000] [--workdir bench/out]
"""

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from osir_assets.lib.duckdb_store import replace_month, replace_month_from_frame
from osir_assets.lib.package_files import SQL_ROOT
from osir_assets.lib.sql_assets import load_sql_models
from osir_assets.leaderboard.source import read_leaderboard_file

TARGET_SECONDS = 3.0
MONTH = dt.date(2025, 3, 1)
RANKING_LINK = {"leaderboard_organisations", "leaderboard_indicators"}
TYPES = ["🟢 pretrained", "🔶 fine-tuned on domain-specific datasets", "💬 chat models (RLHF, DPO, IFT, ...)", "🤝 base merges and moerges", "🟩 continuously pretrained"]


def synthetic_snapshot(path: Path, rows: int, seed: int = 12) -> None:
    rng = np.random.default_rng(seed)
    models = int(rows * 0.95)
    model_index = np.concatenate([np.arange(models), rng.integers(0, models, rows - models)])  # 5% repeated model ids
    authors = np.minimum(np.floor(rng.pareto(1.1, models) * 20), 60_000).astype(np.int64)
    ids = pl.Series(np.arange(models)).cast(pl.String)
    names = ("author-" + pl.Series(authors).cast(pl.String) + "/model-" + ids).gather(model_index)
    bases = rng.integers(0, 20_000, rows)  # the first 20,000 models are the popular bases
    frame = pl.DataFrame({
        "fullname": names,
        "Model sha": pl.Series(np.arange(rows)).cast(pl.String),
        "Precision": "bfloat16",
        "Type": pl.Series(TYPES).gather(rng.integers(0, len(TYPES), rows)),
        "Architecture": pl.Series(["LlamaForCausalLM", "Qwen2ForCausalLM", "MistralForCausalLM", "Gemma2ForCausalLM", "GPT2LMHeadModel"]).gather(rng.integers(0, 5, rows)),
        "Average ⬆️": np.round(rng.uniform(1, 60, rows), 2),
        "#Params (B)": np.round(rng.lognormal(2, 1, rows), 2),
        "Merged": rng.random(rows) < 0.2,
        "Flagged": rng.random(rows) < 0.01,
        "Base Model": names.gather(bases).zip_with(pl.Series(rng.random(rows) < 0.5), pl.Series(["Removed"] * rows)),
        "days": rng.integers(0, 600, rows),
    }).with_columns((pl.lit(dt.date(2023, 6, 1)) + pl.duration(days="days")).cast(pl.String).alias("Submission Date")).drop("days")
    frame.write_parquet(path)


def analytics_order() -> list:
    """The leaderboard SQL files, each after the ones it reads."""
    models = {m.name: m for m in load_sql_models(SQL_ROOT) if m.group == "leaderboard" and m.name not in RANKING_LINK}
    ordered, placed = [], set()
    while len(ordered) < len(models):
        for name, model in models.items():
            if name not in placed and all(d.split("[")[0] not in models or d.split("[")[0] in placed for d in model.deps):
                ordered.append(model)
                placed.add(name)
    return ordered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", default="bench/out")
    args = parser.parse_args()
    work = Path(args.workdir) / "leaderboard"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    snapshot = work / "contents.parquet"
    started = time.perf_counter()
    synthetic_snapshot(snapshot, args.rows)
    print(f"synthetic snapshot: {args.rows:,} rows, {snapshot.stat().st_size / 1e6:,.1f} MB, written in {time.perf_counter() - started:.1f}s")

    started = time.perf_counter()
    entries = read_leaderboard_file(snapshot)
    normalise_seconds = time.perf_counter() - started
    with duckdb.connect(str(work / "osir.duckdb"), config={"preserve_insertion_order": False}) as con:
        replace_month_from_frame(con, "leaderboard_entries", MONTH, entries)
        timings = []
        started = time.perf_counter()
        for model in analytics_order():
            step = time.perf_counter()
            rows = replace_month(con, model.table, MONTH, model.sql)
            timings.append((model.name, rows, time.perf_counter() - step))
        analytics_seconds = time.perf_counter() - started
        models, authors = con.execute("SELECT models, authors FROM leaderboard_concentration").fetchone()
    print(f"read + normalise       {normalise_seconds:6.2f} s")
    for name, rows, seconds in timings:
        print(f"  {name:<34} {seconds:6.2f} s  {rows:>10,} rows")
    print(f"analytics (SQL)        {analytics_seconds:6.2f} s   ({models:,} models, {authors:,} authors)")
    total = normalise_seconds + analytics_seconds
    print(f"normalise + analytics  {total:6.2f} s   target < {TARGET_SECONDS:.0f} s: {'met' if total < TARGET_SECONDS else 'NOT met'} ({total / TARGET_SECONDS:.2f} of it)")

    (work / "audits-off.yaml").write_text("enabled: false\n", encoding="utf-8")
    for audits, quality in (("on", {}), ("off", {"OSIR_QUALITY": str(work / "audits-off.yaml")})):
        db = work / f"graph-audits-{audits}.duckdb"
        command = [sys.executable, "-m", "osir_assets.cli", "analytics", "--leaderboard", str(snapshot), "--month", f"{MONTH:%Y-%m}", "--db", str(db)]
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env={**os.environ, "PYTHONWARNINGS": "ignore", **quality})
        print(f"osir analytics --leaderboard, fresh process through Dagster, audits {audits}: {time.perf_counter() - started:.1f} s")
    print(f"load average while measuring: {' '.join(f'{v:.1f}' for v in os.getloadavg())} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()

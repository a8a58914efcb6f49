"""Benchmark: what recording the runs in the persistent Dagster instance costs a whole `osir reproduce`.

Runs ``osir reproduce ROOT --out OUT`` as fresh processes, alternating ``--ephemeral`` (records nothing) and
the default (records into ``<db dir>/dagster_home``, created by that run), each in a new temporary folder
(new database, new instance), and prints per mode the median wall time, CPU time and peak memory, the difference,
and the instance's size on disk and event count. Prints figures, asserts nothing.

Run: ``.venv/bin/python bench/bench_instance.py [--root ../shared/osir-lmts] [--repeats 3]`` (about 2 minutes).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
OSIR = Path(sys.executable).parent / "osir"


def one_run(root: Path, ephemeral: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="osir-bench-instance-") as folder:
        work = Path(folder)
        command = [str(OSIR), "reproduce", str(root), "--out", str(work / "out"), "--db", str(work / "osir.duckdb")] + (["--ephemeral"] if ephemeral else [])
        environment = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
        started = time.perf_counter()
        process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            sys.exit(f"osir reproduce failed ({process.returncode}): {process.stderr.read().decode()[-2000:]}")
        home = work / "dagster_home"
        size = sum(p.stat().st_size for p in home.rglob("*") if p.is_file()) if home.exists() else 0
        events = sum(_event_rows(p) for p in (home / "history" / "runs").glob("*.db")) if home.exists() else 0
        cpu = usage.ru_utime + usage.ru_stime
        return {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": usage.ru_maxrss / 1024, "instance_mb": size / 1e6, "events": events}


def _event_rows(shard: Path) -> int:
    if shard.name == "index.db":  # the cross-run index repeats the asset events
        return 0
    with sqlite3.connect(shard) as con:
        return con.execute("SELECT count(*) FROM event_logs").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(REPO_ROOT.parent / "shared" / "osir-lmts"))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[dict]] = {"ephemeral": [], "persistent": []}
    for repeat in range(args.repeats):
        for mode in ("ephemeral", "persistent") if repeat % 2 == 0 else ("persistent", "ephemeral"):
            run = one_run(Path(args.root), ephemeral=mode == "ephemeral")
            results[mode].append(run)
            print(f"  {mode:<10} {run['seconds']:6.1f} s ({run['cpu_seconds']:5.1f} s CPU)  {run['peak_mb']:6,.0f} MB peak", flush=True)
    median = {mode: {key: statistics.median(r[key] for r in runs) for key in runs[0]} for mode, runs in results.items()}
    ephemeral, persistent = median["ephemeral"], median["persistent"]
    print(f"osir reproduce {args.root}, medians of {args.repeats} fresh processes each, alternating:")
    print(f"  --ephemeral   {ephemeral['seconds']:6.1f} s ({ephemeral['cpu_seconds']:5.1f} s CPU)  {ephemeral['peak_mb']:6,.0f} MB peak")
    print(f"  persistent    {persistent['seconds']:6.1f} s ({persistent['cpu_seconds']:5.1f} s CPU)  {persistent['peak_mb']:6,.0f} MB peak  "
          f"(instance {persistent['instance_mb']:.1f} MB, {persistent['events']:,.0f} events)")
    difference = persistent["seconds"] - ephemeral["seconds"]
    cpu = persistent["cpu_seconds"] - ephemeral["cpu_seconds"]
    print(f"  recording costs {difference:+.1f} s wall ({difference / ephemeral['seconds']:+.0%}), {cpu:+.1f} s CPU ({cpu / ephemeral['cpu_seconds']:+.0%})")


if __name__ == "__main__":
    main()

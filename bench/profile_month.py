"""Profile: where the wall time of one `osir reproduce` goes, phase by phase, in a fresh process.

Runs the real command (`osir_assets.cli.main(["reproduce", ROOT, ...])`) in a child process on a fresh
database, with timers wrapped around its phases (the wrappers only measure; every call goes through):

* start and imports: from just before the child is started until `osir_assets.cli` and the graph are imported;
* registry load, archive validation (every raw file read and checked before anything is written);
* each Dagster step (from the run's event log: STEP_START to STEP_SUCCESS), and inside the source steps the
  archive read of each platform file ("ingest") and inside every audited step the write-audit-publish audit;
* Dagster's own share: the run's wall time minus its steps (planning, the ephemeral instance, events);
* writing the published tables, and exit (the child's last statement until the parent has reaped it).

Peak memory is the child's own high-water mark (VmHWM, read in the child) and the great_expectations
worker's. Prints a table; asserts nothing.

    python bench/profile_month.py ROOT [--workdir bench/out/profile] [--audits off]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

CHILD = r"""
import json, os, sys, time
spawned, root, out, db, report_file = float(sys.argv[1]), *sys.argv[2:6]
from pathlib import Path

timers, cpu = {}, {}  # phase -> wall seconds, CPU seconds of this process (all its threads)
def timed(module, name, label):
    import importlib
    target = importlib.import_module(module)
    original = getattr(target, name)
    def wrapper(*args, **kwargs):
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            key = label(args) if callable(label) else label
            timers[key] = timers.get(key, 0.0) + time.perf_counter() - started
            cpu[key] = cpu.get(key, 0.0) + time.process_time() - started_cpu
    setattr(target, name, wrapper)

import osir_assets.cli as cli
import osir_assets.definitions  # noqa: F401  (the graph: part of what every run imports)
imported = time.time()

timed("osir_assets.registry.resources", "load_registry", "registry load")
timed("osir_assets.sources.archive", "validate_archive", "archive validation")
timed("osir_assets.sources.resources", "stage_raw_snapshot", lambda a: f"  ingest: read {a[4]} {a[5]}s")
timed("osir_assets.quality.gate", "audit_staged", lambda a: f"  audit: {a[1]}")
timed("osir_assets.lib.sql_assets", "audit_staged", lambda a: f"  audit: {a[1]}")
timed("osir_assets.exports.published_layout", "write_month", "writing the published tables")

from dagster import DagsterEventType, DagsterInstance
import osir_assets.runner as runner
instance = DagsterInstance.ephemeral()
original_materialize = runner.materialize_months
run_seconds = []
def materialize_months(*args, **kwargs):
    started = time.perf_counter()
    try:
        return original_materialize(*args, **{**kwargs, "instance": instance})
    finally:
        run_seconds.append(time.perf_counter() - started)
runner.materialize_months = materialize_months

code = cli.main(["reproduce", root, "--out", out, "--db", db])
steps, events = {}, 0
for run in instance.get_runs():
    started = {}
    for entry in instance.all_logs(run.run_id):
        events += 1
        event = entry.dagster_event
        if event is None or not entry.step_key:
            continue
        if event.event_type == DagsterEventType.STEP_START:
            started[entry.step_key] = entry.timestamp
        elif event.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            steps[entry.step_key] = steps.get(entry.step_key, 0.0) + entry.timestamp - started.pop(entry.step_key)
from osir_assets.quality.expectations import worker_pid
def high_water(pid):
    status = Path(f"/proc/{pid}/status")
    try:
        return next(int(l.split()[1]) / 1024 for l in status.read_text().splitlines() if l.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return 0.0
worker = worker_pid()
Path(report_file).write_text(json.dumps({
    "rc": code, "imports": imported - spawned, "timers": timers, "cpu": cpu, "process_cpu": time.process_time(), "steps": steps, "events": events,
    "runs": run_seconds, "peak_mb": high_water(os.getpid()), "worker_mb": high_water(worker) if worker else 0.0,
    "finished": time.time(),
}))
sys.exit(code)
"""


def profile(root: Path, work: Path, audits: bool) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    db, out, report = work / "profile.duckdb", work / "out", work / "profile.json"
    for leftover in (db, Path(f"{db}.wal"), report):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ)
    if not audits:
        quality = work / "quality-off.yaml"
        quality.write_text("enabled: false\n")
        env["OSIR_QUALITY"] = str(quality)
    log = work / "profile.log"
    with log.open("w") as stderr_file:  # a file, not a pipe: the audits' worker inherits it and outlives the child
        spawned = time.time()
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(spawned), str(root), str(out), str(db), str(report)], env=env,
                                 stdout=subprocess.DEVNULL, stderr=stderr_file)
        child.wait()
        ended = time.time()
    stderr = log.read_text()
    if not report.exists():
        sys.exit(f"the profiled run failed:\n{stderr[-3000:]}")
    figures = json.loads(report.read_text())
    figures["wall"] = ended - spawned
    figures["exit"] = ended - figures["finished"]
    figures["stderr"] = stderr
    return figures


def print_table(root: Path, figures: dict, audits: bool) -> None:
    timers, steps = figures["timers"], figures["steps"]
    in_runs = sum(figures["runs"])
    rows = [("start, interpreter and imports", figures["imports"]), ("registry load", timers.get("registry load", 0.0)),
            ("archive validation", timers.get("archive validation", 0.0)), (f"Dagster runs ({len(figures['runs'])}), of which:", in_runs)]
    inside = {k: v for k, v in timers.items() if k.startswith("  ")}
    for step, seconds in sorted(steps.items(), key=lambda item: -item[1]):
        rows.append((f"  step {step}", seconds))
    rows.append(("  Dagster's own (run minus steps)", in_runs - sum(steps.values())))
    rows.append(("  within the steps above:", None))
    rows += sorted(inside.items(), key=lambda item: -item[1])
    rows.append(("writing the published tables", timers.get("writing the published tables", 0.0)))
    accounted = figures["imports"] + timers.get("registry load", 0.0) + timers.get("archive validation", 0.0) + in_runs + timers.get("writing the published tables", 0.0)
    rows.append(("exit (last statement to reaped)", figures["exit"]))
    rows.append(("other (summaries, audit files, profile's own reading)", figures["wall"] - accounted - figures["exit"]))
    cpu = figures["cpu"]
    print(f"\nosir reproduce {root}, audits {'on' if audits else 'off'}: {figures['wall']:.2f}s wall, peak {figures['peak_mb']:,.0f} MB"
          + (f" (+{figures['worker_mb']:,.0f} MB great_expectations worker)" if figures["worker_mb"] else "")
          + f", {figures['process_cpu']:.2f}s CPU in this process, {figures['events']:,} Dagster events, exit code {figures['rc']}")
    print("(CPU: this process only, all its threads, for the phases timed by a wrapper (audits run mostly in the worker); it moves less than wall time under load)")
    print(f"{'phase':64} {'wall s':>8} {'share':>6} {'CPU s':>7}")
    for name, seconds in rows:
        if seconds is None:
            print(name)
            continue
        used = cpu.get(name)
        print(f"{name:64} {seconds:8.2f} {seconds / figures['wall']:6.1%} " + (f"{used:7.2f}" if used is not None else f"{'':7}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", help="archive root laid out like OSIR-LMTS (e.g. ../shared/osir-lmts, or run.sh's twin)")
    parser.add_argument("--workdir", default="bench/out/profile")
    parser.add_argument("--audits", choices=("on", "off"), default="on")
    args = parser.parse_args()
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    figures = profile(Path(args.root).resolve(), Path(args.workdir), args.audits == "on")
    print_table(Path(args.root), figures, args.audits == "on")
    if figures["rc"]:
        print(figures["stderr"][-2000:])


if __name__ == "__main__":
    main()

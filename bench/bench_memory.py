"""Benchmark: how `osir reproduce` grows with the month, in time and in peak memory (issue 14).

Generates (once, cached in --workdir) a synthetic archive per size with `osir_assets.synthetic`: 1,000
organisations, two months of that many repositories each (five in six of them models, whose raw records carry
their model cards: about 0.9 KB a repository in the Hugging Face file), the second month ranked. Then, per size,
runs `osir reproduce ARCHIVE` in a fresh process on a fresh database, audits on, the default recording instance.
While it runs, every process of the run (OSIR and its great_expectations worker) is read from /proc ten times a
second: the peak of each is its VmHWM (the kernel's own high-water mark, so a peak between two reads is not
missed), the peak of the two together is the largest sum of their resident sizes seen. Prints a table; asserts
nothing.

    python bench/bench_memory.py [--sizes 0.3 1.2 5] [--workdir /tmp/osir-memory-bench]
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ORGS = 1000
DATASET_SHARE = 1 / 6  # the peer's synthetic month: 1,000,000 models and 200,000 datasets


def _status(pid: int) -> dict[str, int]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in lines) if k in ("VmHWM", "VmRSS")}


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            children = []
        found += [int(c) for c in children]
        queue += [int(c) for c in children]
    return found


def generate(root: Path, repositories: int) -> None:
    if (root / "data").exists():
        return
    per_org = repositories / ORGS
    datasets = round(per_org * DATASET_SHARE)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "osir_assets.synthetic", str(root), "--orgs", str(ORGS), "--models", str(round(per_org) - datasets),
                    "--datasets", str(datasets), "--months", "2"], check=True, stdout=subprocess.DEVNULL)
    print(f"generated {root} in {time.perf_counter() - started:.0f}s", flush=True)


def measure(root: Path, work: Path) -> dict:
    db, out = work / "measured.duckdb", work / "out"
    shutil.rmtree(out, ignore_errors=True)
    for stale in (db, Path(f"{db}.wal")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(work / "dagster_home", ignore_errors=True)
    osir = Path(sys.executable).with_name("osir")
    started = time.perf_counter()
    process = subprocess.Popen([str(osir), "reproduce", str(root), "--out", str(out), "--db", str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peaks: dict[int, int] = {}
    together = 0
    while process.poll() is None:
        pids = [process.pid, *_descendants(process.pid)]
        statuses = {pid: _status(pid) for pid in pids}
        for pid, status in statuses.items():
            peaks[pid] = max(peaks.get(pid, 0), status.get("VmHWM", 0))
        together = max(together, sum(s.get("VmRSS", 0) for s in statuses.values()))
        time.sleep(0.1)
    wall = time.perf_counter() - started
    if process.returncode:
        sys.exit(f"osir reproduce {root} failed:\n{process.stderr.read()[-3000:]}")
    own = peaks.pop(process.pid, 0)
    return {"wall": wall, "osir_mb": own / 1024, "worker_mb": max(peaks.values(), default=0) / 1024, "together_mb": together / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.3, 1.2, 5.0], help="repositories per month, in millions")
    parser.add_argument("--workdir", default="/tmp/osir-memory-bench")
    args = parser.parse_args()
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        repositories = round(size * 1_000_000)
        root = work / f"archive-{repositories}"
        generate(root, repositories)
        figures = measure(root, work)
        rows.append((repositories, figures))
        print(f"{repositories:>10,} repositories: {figures['wall']:.1f}s, OSIR {figures['osir_mb']:,.0f} MB, worker {figures['worker_mb']:,.0f} MB", flush=True)
    print(f"\nosir reproduce of two months of that size (the second ranked), {ORGS:,} organisations, audits on; load average at the end {os.getloadavg()[0]:.1f}")
    print(f"{'repositories a month':>22} {'wall':>8} {'OSIR peak':>10} {'worker peak':>12} {'both':>9} {'OSIR MB per 100k':>17}")
    for repositories, f in rows:
        print(f"{repositories:>22,} {f['wall']:7.1f}s {f['osir_mb']:8,.0f}MB {f['worker_mb']:10,.0f}MB {f['together_mb']:7,.0f}MB {f['osir_mb'] / repositories * 100_000:17.1f}")
    if len(rows) > 1:
        (small, a), (large, b) = rows[0], rows[-1]
        print(f"from {small:,} to {large:,} repositories (x{large / small:.1f}): time x{b['wall'] / a['wall']:.2f}, OSIR peak x{b['osir_mb'] / a['osir_mb']:.2f}")


if __name__ == "__main__":
    main()

"""Benchmark: one synthetic month at scale through the real indicator and scoring stages.

Generates an archive of two months (the second needs the first as ModelScope's baseline) with, by default,
1,000 organisations, 1,000,000 model repositories and 200,000 dataset repositories per month, loads the
sources, then times staging -> merged -> indicators -> scores for the second month in a fresh process
(wall time and peak memory of that whole process). Prints figures and ratios; asserts nothing.

    python bench/bench_month.py [--orgs 1000 --models 1000 --datasets 200] [--workdir bench/out]
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS, TARGET_MB = 5.0, 400.0
PUBLISHED_SECONDS, PUBLISHED_MB = 26.0, 1700.0  # the published OSIR-LMTS code on a month of this size

STAGE = """
import json, resource, sys, time
from pathlib import Path
from dagster import AssetSelection
from osir_assets.definitions import build_resources
from osir_assets.runner import materialize_months
from osir_assets.sources.archive import month_folders, validate_archive
root, db, what = sys.argv[1], sys.argv[2], sys.argv[3]
months = validate_archive(root) if what == "ingest" else sorted(month_folders(Path(root)))
groups = ("sources", "registry") if what == "ingest" else ("staging", "merged", "indicators", "scores")
selection = AssetSelection.groups(*groups) | (AssetSelection.assets("scoring_profile") if what == "ingest" else AssetSelection.groups())
started = time.perf_counter()
materialize_months(months if what == "ingest" else months[-1:], build_resources(db, root), selection=selection)
print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_stage(root: Path, db: Path, what: str) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", STAGE, str(root), str(db), what], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"{what} failed:\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return {"wall": wall, "in_run": figures["seconds"], "peak_mb": figures["peak_mb"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--models", type=int, default=1000, help="model repositories per organisation")
    parser.add_argument("--datasets", type=int, default=200, help="dataset repositories per organisation")
    parser.add_argument("--workdir", default="bench/out")
    args = parser.parse_args()

    from osir_assets.synthetic import generate_archive

    work = Path(args.workdir)
    root = work / f"archive-{args.orgs}x{args.models}x{args.datasets}"
    if not (root / "data").exists():
        started = time.perf_counter()
        generate_archive(root, args.orgs, args.models, args.datasets, months=2, curated_from=0)
        print(f"generated {root} in {time.perf_counter() - started:.1f}s")
    db = work / "bench.duckdb"
    db.unlink(missing_ok=True)
    ingest = run_stage(root, db, "ingest")
    stages = run_stage(root, db, "stages")
    repos = args.orgs * (args.models + args.datasets)
    print(f"month: {args.orgs} organisations, {args.orgs * args.models:,} model + {args.orgs * args.datasets:,} dataset repositories")
    print(f"ingest (2 months of sources + registry): {ingest['wall']:.1f}s wall, {ingest['peak_mb']:.0f} MB peak")
    print(f"indicators + scoring, whole process:      {stages['wall']:.2f}s wall ({stages['in_run']:.2f}s in the run), {stages['peak_mb']:.0f} MB peak")
    print(f"throughput: {repos / stages['in_run']:,.0f} repos/s in the run, {repos / stages['wall']:,.0f} repos/s whole process")
    print(f"vs target ({TARGET_SECONDS:.0f}s, {TARGET_MB:.0f} MB): time x{stages['wall'] / TARGET_SECONDS:.2f}, memory x{stages['peak_mb'] / TARGET_MB:.2f}")
    print(f"vs published code ({PUBLISHED_SECONDS:.0f}s, {PUBLISHED_MB:.0f} MB): {PUBLISHED_SECONDS / stages['wall']:.1f}x faster, {PUBLISHED_MB / stages['peak_mb']:.1f}x less memory")


if __name__ == "__main__":
    main()

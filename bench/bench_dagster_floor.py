"""Benchmark: what Dagster alone costs for OSIR's graph, with every step's work taken out.

Builds a copy of the graph of `osir_assets.definitions`: the same steps, asset keys, dependencies (with their
partition mappings), partitions, backfill policy and audit check specs, but each step's body only reports its
keys materialised and its checks passed. Then times, each in a fresh process:

* `import`: the interpreter, `import dagster` and `osir_assets.definitions` (the graph built), nothing run;
* `floor`: that, plus materialising the copy over N months in one run, as `osir reproduce` does (the published
  lineage, or `--all-assets`), recorded in a persistent instance with OSIR's storage (lib/dagster_storage.py)
  or in an ephemeral one (`--ephemeral`).

The floor is what no change inside the steps can remove while every asset materialises through Dagster: compare
it with `osir reproduce` of the same months (bench_peer.py, profile_month.py) and with the published code's whole
process. `--peer WORKDIR` (a bench_peer.py work folder) also times the published code's `gen-rank --all` on its copy
of the four published months, taking turns with the two above, so that the ratio is of one sitting. Prints
figures; asserts nothing.

    python bench/bench_dagster_floor.py [--months 4] [--runs 3] [--all-assets] [--ephemeral] [--peer /tmp/osir-peer-bench]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import sys
mode, months, all_assets, ephemeral, home = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4] == "1", sys.argv[5]
from dagster import AssetCheckResult, DagsterInstance, MaterializeResult, materialize, multi_asset
from osir_assets.definitions import all_assets as graph
if mode == "import":
    sys.exit(0)
from osir_assets.cli import published_lineage
from osir_assets.lib.dagster_instance import open_instance
from osir_assets.partitions import monthly_partitions
from osir_assets.runner import QUIET


def hollow(definition):
    if not definition.is_executable or not definition.is_materializable:
        return definition  # an observed or external asset: nothing of OSIR's runs for it
    checks_by_key = {}
    for check in definition.check_specs:
        checks_by_key.setdefault(check.asset_key, []).append(check.name)

    @multi_asset(
        name=definition.node_def.name, specs=list(definition.specs), check_specs=list(definition.check_specs),
        partitions_def=definition.partitions_def, backfill_policy=definition.backfill_policy, can_subset=False,
    )
    def _step(context):
        for key in definition.keys:
            checks = [AssetCheckResult(asset_key=key, check_name=name, passed=True) for name in checks_by_key.get(key, [])]
            yield MaterializeResult(asset_key=key, metadata={"rows": 1}, check_results=checks)

    return _step


keys = monthly_partitions.get_partition_keys()[:months]
tags = {"dagster/asset_partition_range_start": keys[0], "dagster/asset_partition_range_end": keys[-1]}
instance = DagsterInstance.ephemeral() if ephemeral else open_instance(home + "/osir.duckdb")
result = materialize([hollow(a) for a in graph], selection=None if all_assets else published_lineage(), tags=tags, instance=instance, run_config=QUIET)
steps = len({e.step_key for e in result.all_events if e.step_key})
events = len(result.all_events)
materialised = sum(1 for e in result.all_events if e.is_step_materialization)
print(f"{int(result.success)} {steps} {events} {materialised}")
"""


def peer_program(workdir: Path) -> Path:
    """The published code's command in a bench_peer.py work folder, on its copy of the four published months."""
    return workdir / "peer" / "real" / "oslm-crawler" / "bin" / "oslm-crawler"


def run_peer(workdir: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(peer_program(workdir)), "gen-rank", "--all"], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"bench_dagster_floor: the published code failed:\n{done.stderr[-3000:]}")
    return wall


def run_child(mode: str, months: int, all_assets: bool, ephemeral: bool) -> tuple[float, str]:
    with tempfile.TemporaryDirectory(prefix="osir-floor-") as home:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, mode, str(months), "1" if all_assets else "0", "1" if ephemeral else "0", home],
            capture_output=True, text=True,
        )
        wall = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"bench_dagster_floor: the {mode} process failed:\n{done.stderr[-3000:]}")
    return wall, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--months", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--all-assets", action="store_true", help="the whole graph, as `osir run` (default: the published lineage, as `osir reproduce`)")
    parser.add_argument("--ephemeral", action="store_true", help="record in an ephemeral instance (default: a persistent one, as the commands do)")
    parser.add_argument("--peer", type=Path, help="a bench_peer.py work folder: time the published code on the four published months too")
    args = parser.parse_args()
    if args.peer and not peer_program(args.peer).exists():
        sys.exit(f"bench_dagster_floor: no published code at {peer_program(args.peer)} (run bench/bench_peer.py first)")
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    walls: dict[str, list[float]] = {"import": [], "floor": []} | ({"peer": []} if args.peer else {})
    counts = ""
    for _ in range(args.runs):  # take turns, so that a change in the machine's load affects all alike
        for mode in walls:
            if mode == "peer":
                walls[mode].append(run_peer(args.peer))
                continue
            wall, out = run_child(mode, args.months, args.all_assets, args.ephemeral)
            walls[mode].append(wall)
            counts = out or counts
    ok, steps, events, materialised = (int(x) for x in counts.split())
    what = "the whole graph" if args.all_assets else "the published lineage"
    where = "an ephemeral instance" if args.ephemeral else "a persistent instance"
    print(f"OSIR's graph with empty steps, {what}, {args.months} months in one run, recorded in {where}: "
          f"{steps} steps, {materialised} materialisations, {events} Dagster events, success={bool(ok)}")
    print(f"  {'':32} {'median s':>9} {'min s':>7} {'max s':>7}  (whole processes, {args.runs} runs)")
    labels = {"import": "start and imports, graph built", "floor": "the same plus the run", "peer": "published code, gen-rank --all"}
    for mode, label in labels.items():
        if mode not in walls:
            continue
        print(f"  {label:32} {statistics.median(walls[mode]):9.2f} {min(walls[mode]):7.2f} {max(walls[mode]):7.2f}")
    run_only = statistics.median(walls["floor"]) - statistics.median(walls["import"])
    print(f"  the run alone (difference of medians): {run_only:.2f} s, {run_only / max(materialised, 1) * 1000:.1f} ms per materialisation")
    if args.peer and args.months != 4:
        print(f"  (no floor / published code ratio: the published code ranks four months, the floor here {args.months})")
    elif args.peer:
        print(f"  floor / published code: {statistics.median(walls['floor']) / statistics.median(walls['peer']):.2f} (ratio of medians; the published code on the four published months)")


if __name__ == "__main__":
    main()

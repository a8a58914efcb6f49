"""Benchmark: OSIR against the published OSIR-LMTS code, whole processes, same input, side by side.

Runs the shared harness `../shared/peer/run.sh` (its README says how it builds the peer's venv, generates the
synthetic 1.2M-repository month in both formats and times both programs in turn) with this checkout's
`.venv/bin/osir`, then prints, per case, OSIR's and the peer's medians and their ratios against issue 14's
targets. Prints figures; asserts nothing.

    python bench/bench_peer.py [--runs 3] [--warmup 1] [--workdir /tmp/osir-peer-bench] [--audits off]
    python bench/bench_peer.py --report-only --workdir DIR     # the ratios of an earlier run in DIR
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
HARNESS = CHECKOUT.parent / "shared" / "peer" / "run.sh"
# issue 14: (time ratio OSIR / published at most, OSIR peak MiB at most)
TARGETS = {
    "synth": ("synthetic month, 1,000 orgs, 1M model + 200k dataset repos", 1 / 3, 800),
    "real": ("the four published months of ../shared/osir-lmts", 1.0, None),
}


def summarise(workdir: Path) -> None:
    for case, (what, time_target, memory_target) in TARGETS.items():
        found = workdir / f"bench-{case}.json"
        if not found.exists():
            print(f"({case}) {what}: no figures in {found}")
            continue
        summary = json.loads(found.read_text())["summary"]
        osir, peer = summary["OSIR"], summary["peer"]
        ratio = summary["wall_ratio"][1]
        print(f"\n({case}) {what}, medians of {len(summary['wall_ratio_pairs'])} alternating pairs")
        print(f"  {'':10} {'wall s':>8} {'peak MiB':>9} {'group MiB':>10} {'cpu s':>7}")
        for name, figures in (("OSIR", osir), ("published", peer)):
            group = figures["group_mib"][1]
            print(f"  {name:10} {figures['wall_s'][1]:8.2f} {figures['peak_mib'][1]:9,.0f} {group:10,.0f} {figures['cpu_s'][1]:7.2f}")
        verdict = "faster" if ratio < 1 else "slower"
        print(f"  OSIR / published wall, pair by pair: median {ratio:.2f} ({1 / ratio if ratio < 1 else ratio:.2f}x {verdict}; "
              f"min {summary['wall_ratio'][0]:.2f}, max {summary['wall_ratio'][2]:.2f}); target at most {time_target:.2f}: "
              + ("met" if ratio <= time_target else "not met"))
        if memory_target:
            peak = osir["peak_mib"][1]
            print(f"  OSIR peak {peak:,.0f} MiB (largest single process; target at most {memory_target:,} MiB: {'met' if peak <= memory_target else 'not met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--workdir", default="/tmp/osir-peer-bench")
    parser.add_argument("--audits", choices=("on", "off"), default="on", help="off: OSIR with QualityConfig(enabled=False)")
    parser.add_argument("--report-only", action="store_true", help="print the ratios of the figures already in --workdir")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    if not args.report_only:
        if not HARNESS.exists():
            sys.exit(f"bench_peer: the side-by-side harness is not at {HARNESS}")
        env = dict(os.environ)
        if args.audits == "off":
            workdir.mkdir(parents=True, exist_ok=True)
            (workdir / "quality-off.yaml").write_text("enabled: false\n")
            env["OSIR_QUALITY"] = str(workdir / "quality-off.yaml")
        print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)", flush=True)
        done = subprocess.run(["bash", str(HARNESS), "--runs", str(args.runs), "--warmup", str(args.warmup), str(CHECKOUT / ".venv" / "bin" / "osir"), str(workdir)], env=env)
        if done.returncode:
            sys.exit(f"bench_peer: run.sh exited with {done.returncode}")
    summarise(workdir)


if __name__ == "__main__":
    main()

"""Benchmark: live collection against the fake platforms under a simulated rate limit.

Prints, per scenario, the requests spent per repository and the achieved request rate as a share of the
rate the server allows (target: at least 90 %), with the number of requests the server refused (429) and
of requests that failed (target: zero of both).

Scenarios (Hugging Face, the platform with the tightest limit and a per-repository call):
* ``configured``: the limit is known from configuration (like HF's 1,000 requests per 5 minutes).
* ``announced``: nothing configured; the collector assumes HF's documented anonymous limit and switches to
  the limit the fake announces in its ``RateLimit-Policy`` header.
plus ModelScope with its default page size, for the requests-per-repository figure of a listing-only platform
(its run is shorter than a window, so its rate share is not counted against the target).

Run: ``.venv/bin/python bench/bench_collect.py [--accounts 20] [--repos 20] [--limit 100] [--window 2]``.
Everything runs on 127.0.0.1; the run takes about 10-20 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")  # no side request to the public Hub
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polars as pl  # noqa: E402

from osir_assets.sources.live import HuggingFaceCollector, ModelScopeCollector  # noqa: E402
from osir_assets_tests.fakes import FakeServer, HubData, ModelScopeData, RateLimit, hf_model, hub_handler, modelscope_handler, ms_model  # noqa: E402

SNAPSHOT = dt.date(2025, 2, 14)


def accounts(platform: str, names: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"org": ["Bench"] * len(names), "platform": [platform] * len(names), "account": names, "url": [""] * len(names)})


def report(name: str, stats: dict, limit: RateLimit, repos: int) -> dict:
    allowed = limit.limit / limit.window_seconds
    achieved = stats["requests"] / stats["seconds"]
    # A rate share only means something over several windows; a shorter run is all start-up.
    measured = stats["seconds"] >= 3 * limit.window_seconds
    row = {
        "scenario": name,
        "repos": repos,
        "requests": stats["requests"],
        "requests_per_repo": round(stats["requests"] / repos, 3),
        "seconds": round(stats["seconds"], 2),
        "achieved_rps": round(achieved, 2),
        "allowed_rps": round(allowed, 2),
        "share_of_allowed": f"{achieved / allowed:.1%}" if measured else "n/a (shorter than 3 windows)",
        "server_429": limit.rejected,
        "client_throttled": stats["throttled"],
        "failed": stats["failures"],
        "max_in_one_window": f"{limit.max_in_any_window()}/{limit.limit}",
    }
    print("  ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    return row


def hub_scenario(name: str, args: argparse.Namespace, configured: bool) -> dict:
    names = [f"org{a:02d}" for a in range(args.accounts)]
    data = HubData(models={n: [hf_model(f"{n}/model-{i:03d}") for i in range(args.repos)] for n in names}, page_size=100)
    limit = RateLimit(limit=args.limit, window_seconds=args.window)
    with FakeServer(hub_handler(data), rate_limit=limit) as server:
        settings = {"endpoint": server.url, "max_concurrency": 8, "window_seconds": args.window}
        if configured:
            settings["requests_per_window"] = args.limit
        frame, stats = HuggingFaceCollector(**settings).collect(accounts("HuggingFace", names), "model", SNAPSHOT)
    assert frame.height == args.accounts * args.repos, "incomplete snapshot"
    return report(name, stats, limit, frame.height)


def modelscope_scenario(args: argparse.Namespace) -> dict:
    names = [f"org{a:02d}" for a in range(args.accounts)]
    data = ModelScopeData(models={n: [ms_model(n, f"model-{i:03d}") for i in range(args.repos)] for n in names})
    limit = RateLimit(limit=args.limit, window_seconds=args.window)
    with FakeServer(modelscope_handler(data), rate_limit=limit) as server:
        collector = ModelScopeCollector(endpoint=server.url, requests_per_window=args.limit, window_seconds=args.window, max_concurrency=8)
        frame, stats = collector.collect(accounts("ModelScope", names), "model", SNAPSHOT)
    assert frame.height == args.accounts * args.repos, "incomplete snapshot"
    return report("modelscope-listing", stats, limit, frame.height)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--repos", type=int, default=20, help="models per account")
    parser.add_argument("--limit", type=int, default=100, help="requests the fake allows per window")
    parser.add_argument("--window", type=float, default=2.0, help="window length in seconds")
    args = parser.parse_args()
    print(f"fake limit: {args.limit} requests per {args.window:g} s window; {args.accounts} accounts x {args.repos} repositories")
    rows = [hub_scenario("hf-configured", args, True), hub_scenario("hf-announced", args, False), modelscope_scenario(args)]
    worst = min(float(r["share_of_allowed"].rstrip("%")) for r in rows if r["share_of_allowed"].endswith("%"))
    ok = worst >= 90 and all(r["server_429"] == 0 and r["failed"] == 0 for r in rows)
    print(f"lowest share of the allowed rate: {worst:.1f}% (target >= 90%); 429s: {sum(r['server_429'] for r in rows)}; failed requests: {sum(r['failed'] for r in rows)} -> {'OK' if ok else 'BELOW TARGET'}")


if __name__ == "__main__":
    main()

"""``osir backfill --from YYYY-MM --to YYYY-MM``: materialise a range of months from the terminal.

The range is one run (every asset has a single-run backfill policy), in this process, through the same
runner as ``osir run``, recorded in the database's Dagster instance (unless ``--ephemeral``), so the UI and the
sensors see it; a run already in progress in that instance makes this one wait for it.
"""

import argparse
import datetime as dt
import os
import sys
import time


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [dt.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1) for i in range(count)]


def cmd_backfill(args: argparse.Namespace) -> int:
    from osir_assets.definitions import build_resources
    from osir_assets.errors import OsirInputError
    from osir_assets.lib.duckdb_store import DEFAULT_DB
    from osir_assets.partitions import monthly_partitions, partition_key
    from osir_assets.runner import materialize_months

    first, last = args.from_month, args.to_month
    if last < first:
        raise OsirInputError(f"--to {last:%Y-%m} is before --from {first:%Y-%m}")
    months = months_between(first, last)
    known = set(monthly_partitions.get_partition_keys())
    outside = [m for m in months if partition_key(m) not in known]
    if outside:
        raise OsirInputError(f"{', '.join(f'{m:%Y-%m}' for m in outside)} outside the monthly partitions ({min(known)[:7]}..{max(known)[:7]})")
    db = args.db or os.environ.get("OSIR_DB", DEFAULT_DB)
    started = time.perf_counter()
    print(f"osir: backfilling {first:%Y-%m}..{last:%Y-%m} ({len(months)} months) into {db}", file=sys.stderr, flush=True)
    materialize_months(months, build_resources(db, args.archive), ephemeral=args.ephemeral)
    print(f"osir: backfilled {len(months)} months in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return 0

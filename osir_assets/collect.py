"""``osir collect``: collect the current month from the platforms, then score it once every platform is in.

A live collection fills the month it runs in and no other (honest months; past months come from archives:
``osir reproduce`` or ``osir run --archive``). Each platform's raw responses, kept under
``<db dir>/raw/<YYYY-MM>/``, are the receipt that its collection completed: once every platform has one for
the month, the rest of the graph runs for it and ``osir rank`` shows it. Platforms can be collected one at a
time (``--platform``), on different days of the month.

Imports are deferred to the command itself, so that ``osir --help`` and the other commands stay fast.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator

# Platform names as the registry spells them (registry/organisations.yaml).
PLATFORM_CHOICES = ("huggingface", "modelscope", "opendatalab", "baai_data", "github")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def _progress_on_terminal() -> Iterator[None]:
    """Show the osir.progress lines (collector progress, months written) on stderr while the runs last."""
    step_log = logging.getLogger("osir.progress")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("  %(message)s"))
    previous = step_log.level
    step_log.setLevel(logging.INFO)
    step_log.addHandler(handler)
    try:
        yield
    finally:
        step_log.removeHandler(handler)
        step_log.setLevel(previous)


def source_tables(platform: str) -> list[tuple[str, str, str]]:
    """(asset name, platform name, kind) of the source assets one registry platform fills."""
    from osir_assets.sources.assets import PLATFORM_SOURCES
    from osir_assets.sources.resources import COLLECTORS

    if platform == "github":
        return [("github_repos", "GitHub", "repo")]
    name = COLLECTORS[platform][0]
    return [(asset, p, kind) for asset, (p, kind) in PLATFORM_SOURCES.items() if p == name]


def cmd_collect(args) -> int:
    from dagster import AssetKey, AssetSelection

    from osir_assets.definitions import build_resources
    from osir_assets.lib.duckdb_store import DEFAULT_DB
    from osir_assets.registry.resources import load_registry
    from osir_assets.runner import materialize_months
    from osir_assets.sources.resources import current_month

    db = args.db or os.environ.get("OSIR_DB", DEFAULT_DB)
    month = current_month()
    resources = build_resources(db, mode="live")
    sources = resources["platform_sources"]
    registry = load_registry(sources.registry_path)  # a registry that does not validate stops before any request
    platforms = [args.platform] if args.platform else list(PLATFORM_CHOICES)
    _say(f"osir: collecting {month:%Y-%m} from {', '.join(platforms)} for {len(registry.organisations)} organisations ({sources.registry_path})")

    collected = [AssetKey(asset) for p in platforms for asset, _, _ in source_tables(p)]
    every_source = [AssetKey(asset) for p in PLATFORM_CHOICES for asset, _, _ in source_tables(p)] + [AssetKey("month_snapshot")]
    with _progress_on_terminal():
        materialize_months([month], resources, ephemeral=args.ephemeral, selection=[*collected, AssetKey("month_snapshot")])
        waiting = [p for p in PLATFORM_CHOICES if not all(sources.raw_file(month, name, kind).exists() for _, name, kind in source_tables(p))]
        if waiting:
            _say(f"osir: {month:%Y-%m} is not scored yet: still to collect {', '.join(waiting)} (`osir collect --platform NAME`, or `osir collect`)")
            return 0
        _say(f"osir: every platform is collected for {month:%Y-%m}; scoring the month")
        materialize_months([month], resources, ephemeral=args.ephemeral, selection=AssetSelection.all() - AssetSelection.assets(*every_source))
    return _summary(db, month)


def _summary(db: str, month) -> int:
    import duckdb

    with duckdb.connect(db, read_only=True) as con:
        ranked = con.execute("SELECT count(*) FROM influence_scores WHERE month = $m AND view = 'monthly'", {"m": month}).fetchone()[0]
    if ranked:
        _say(f"osir: {month:%Y-%m} ranks {ranked} organisations; `osir rank --month {month:%Y-%m}` shows it (database {db})")
    else:
        _say(f"osir: {month:%Y-%m} is scored but ranks nobody: no curated infrastructure table is in force (registry curated/<YYYY-MM>/infra.csv)")
    return 0

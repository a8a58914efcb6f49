"""Where source assets get a month from: an archive folder (the published layout) or the platforms' APIs.

Source assets only ever call ``PlatformSources.stage_snapshot``, ``snapshot_date`` and ``github_snapshot``; what
answers is configuration (``mode``):

* ``archive``: ROOT/data/<YYYY-MM-DD>/<Platform>/raw-*-info.jsonl (and GitHub/raw-repos-info.jsonl); a dated
  folder fills the partition of its month.
* ``live``: the platforms' APIs, for the accounts of the registry, through the collectors of ``sources/live``.
  Honest months: a collection on day D can only say what the platforms show on day D, so it fills D's month
  and nothing else; asking live mode for any other month fails at once (past months come from archives).
  Every response is kept, gzipped, in ``<raw dir>/<YYYY-MM>/<Platform>-<kind>.jsonl.gz`` so that a month can be
  recomputed without asking the platforms again, and the labels the rules derive for repositories without an
  explicit label go beside it (``.labels.csv``, see ``registry/derived_labels.py``); the registry adds them to
  the month's label tables. Unlabelled repositories are counted and listed in the metadata.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, Optional

import polars as pl
from dagster import ConfigurableResource, EnvVar
from pydantic import Field

from osir_assets.errors import OsirInputError
from osir_assets.lib.duckdb_store import stage_month_from_frame
from osir_assets.lib.package_files import NATIVE_REGISTRY
from osir_assets.progress import progress_log
from osir_assets.sample import SAMPLE_ROOT, is_sample
from osir_assets.registry.derived_labels import SUFFIX as LABELS_SUFFIX
from osir_assets.registry.derived_labels import write_derived_labels
from osir_assets.sources.archive import archive_snapshot_file, month_folders, read_archive_github, stage_raw_snapshot
from osir_assets.sources.github import GITHUB_REPOS_SCHEMA
from osir_assets.sources.schema import empty_snapshot
from osir_assets.sources.live import (
    BaaiDataCollector,
    GitHubCollector,
    HuggingFaceCollector,
    ModelScopeCollector,
    OpenDataLabCollector,
    apply_labels,
    load_label_rules,
    metadata_from_stats,
    pack_raw_responses,
)

MODES = ("archive", "live")
UNLABELLED_SHOWN = 500  # metadata lists this many unlabelled repositories; the labels file lists them all

# Collector resource attribute -> (platform, endpoint variable, token variable). Unset endpoint: the public platform.
COLLECTORS = {
    "huggingface": ("HuggingFace", "HF_ENDPOINT", "HF_TOKEN"),
    "modelscope": ("ModelScope", "MODELSCOPE_ENDPOINT", "MODELSCOPE_TOKEN"),
    "opendatalab": ("OpenDataLab", "OPENDATALAB_ENDPOINT", None),
    "baai_data": ("BAAIData", "BAAI_DATA_ENDPOINT", None),
    "github": ("GitHub", "GITHUB_API_URL", "GITHUB_TOKEN"),
}
COLLECTOR_TYPES = {
    "huggingface": HuggingFaceCollector,
    "modelscope": ModelScopeCollector,
    "opendatalab": OpenDataLabCollector,
    "baai_data": BaaiDataCollector,
    "github": GitHubCollector,
}


def utc_today() -> dt.date:
    # The monthly partitions are UTC months.
    return dt.datetime.now(dt.timezone.utc).date()


def current_month() -> dt.date:
    return utc_today().replace(day=1)


def collectors_from_environment() -> dict[str, ConfigurableResource]:
    """The five collectors, with endpoints and tokens from the environment variables that are set.

    Tokens travel as ``EnvVar`` so that Dagster shows the variable's name, never its value. An ``EnvVar`` of
    an unset variable fails when the resource is built, hence only the variables that are set are passed.
    """
    collectors = {}
    for attribute, (_, endpoint, token) in COLLECTORS.items():
        settings = {"endpoint": EnvVar(endpoint)} if os.environ.get(endpoint) else {}
        if token and os.environ.get(token):
            settings["token"] = EnvVar(token)
        collectors[attribute] = COLLECTOR_TYPES[attribute](**settings)
    return collectors


class PlatformSources(ConfigurableResource):
    """The month's per-repository snapshots of every platform, and the GitHub activity of the registered repositories.

    ``archive``: read ROOT/data/<YYYY-MM-DD>/... (OSIR_ARCHIVE; default: the generated sample). ``live``: collect the
    current month from the platforms (OSIR_MODE=live, or ``osir collect``).
    """

    mode: str = Field(default="archive", description="'archive' (read an archive folder) or 'live' (collect the current month from the platforms).")
    archive_root: str = Field(default=str(SAMPLE_ROOT), description="Archive root (OSIR_ARCHIVE); defaults to the generated sample (see sample_archive).")
    registry_path: str = Field(default="", description="Live: the registry whose accounts are collected and whose explicit labels win; empty: registry/ of the repository.")
    raw_dir: str = Field(default="data/raw", description="Live: where raw responses and derived labels are kept, per month (beside the DuckDB file).")
    label_rules: str = Field(default="", description="Live: label rules file; empty: sources/live/label_rules.yaml.")
    min_language_model_parameters: Optional[int] = Field(
        default=None,
        description="Live labels: language models below this many parameters are not large models (e.g. 500000000). "
        "Unset, as in the published method, which does not apply its README's 500M rule.",
    )
    huggingface: Optional[HuggingFaceCollector] = None
    modelscope: Optional[ModelScopeCollector] = None
    opendatalab: Optional[OpenDataLabCollector] = None
    baai_data: Optional[BaaiDataCollector] = None
    github: Optional[GitHubCollector] = None

    # -- what source assets call -----------------------------------------------------------------------

    def stage_snapshot(self, con, staged: str, month: dt.date, platform: str, kind: str, log=None) -> dict:
        """Append ``month``'s snapshot of one platform and kind to the staging table ``staged`` (SNAPSHOT_SCHEMA
        columns, duckdb_store.stage_month); returns metadata saying where it came from."""
        if self._live():
            frame, metadata = self.collect_snapshot(month, platform, kind, log)
            stage_month_from_frame(con, staged, month, frame)
            return metadata
        path, snapshot_date = archive_snapshot_file(Path(self.archive_root), month, platform, kind)
        if not path.exists():
            stage_month_from_frame(con, staged, month, empty_snapshot())
            return {"origin": f"{path} (absent: platform not crawled)", "snapshot_date": str(snapshot_date)}
        stage_raw_snapshot(con, staged, month, path, platform, kind, snapshot_date)
        return {"origin": str(path), "snapshot_date": str(snapshot_date)}

    def collect_snapshot(self, month: dt.date, platform: str, kind: str, log=None) -> tuple[pl.DataFrame, dict]:
        """Live mode: (frame in SNAPSHOT_SCHEMA, metadata) of the current month, collected from the platform."""
        today = self._live_day(month)
        registry = self._registry()
        frame, stats = self._collector(platform).collect(registry.accounts_on(platform), kind, today, progress=self._progress(log))
        raw = self._keep_raw(month, platform, kind, stats)
        # Explicit registry labels win; the rules label the rest; what neither labels is listed, never dropped silently.
        explicit = registry.model_labels if kind == "model" else registry.dataset_labels
        labels = apply_labels(frame, self._rules(), explicit=explicit)
        labels_file = self.month_dir(month) / f"{platform}-{kind}{LABELS_SUFFIX}"
        by_rules = write_derived_labels(labels.frame, labels.unlabelled, labels_file)
        metadata = {
            "origin": f"live: {stats.get('endpoint', platform)}",
            "snapshot_date": str(today),
            "raw_snapshot": str(raw),
            "derived_labels": str(labels_file),
            "labelled_explicitly": labels.frame.filter(pl.col("label_source") == "explicit").height,
            "labelled_by_rules": by_rules - len(labels.unlabelled),
            "unlabelled_count": len(labels.unlabelled),
            "unlabelled": labels.unlabelled[:UNLABELLED_SHOWN],
            **metadata_from_stats(stats),
        }
        return frame, metadata

    def check_month(self, month: dt.date) -> None:
        """Refuse, in live mode, to write anything for a month other than the current one (registry tables
        included: a past month keeps the registry it was scored with)."""
        if self._live():
            self._live_day(month)

    def origin(self) -> tuple[str, bool]:
        """(where months come from: the archive folder, or 'live'; whether that is the generated SAMPLE archive)."""
        return ("live", False) if self._live() else (self.archive_root, is_sample(self.archive_root))

    def snapshot_date(self, month: dt.date) -> dt.date | None:
        if self._live():
            return self._live_day(month)
        found = month_folders(Path(self.archive_root)).get(month)
        return found[0] if found else None

    def github_snapshot(self, month: dt.date, log=None) -> tuple[pl.DataFrame, dict]:
        """(frame in GITHUB_REPOS_SCHEMA, metadata) for the registry's GitHub repositories."""
        if not self._live():
            return read_archive_github(Path(self.archive_root), month)
        today = self._live_day(month)
        repos = self._registry().github_repos
        frame, stats = self._collector("GitHub").collect(repos.select("org", "repo"), today, month=month, progress=self._progress(log))
        raw = self._keep_raw(month, "GitHub", "repo", stats)
        rows = repos.join(frame, on=["org", "repo"], how="inner", maintain_order="left").select(list(GITHUB_REPOS_SCHEMA))
        metadata = {"origin": f"live: {stats.get('endpoint', 'GitHub')}", "snapshot_date": str(today), "raw_snapshot": str(raw), **metadata_from_stats(stats)}
        return rows, metadata

    # -- where a month's live files go -----------------------------------------------------------------

    def month_dir(self, month: dt.date) -> Path:
        return Path(self.raw_dir) / f"{month:%Y-%m}"

    def raw_file(self, month: dt.date, platform: str, kind: str) -> Path:
        """The month's raw responses of one platform and kind; it exists once a collection has completed."""
        return self.month_dir(month) / f"{platform}-{kind}.jsonl.gz"

    # -- live helpers ----------------------------------------------------------------------------------

    def _live(self) -> bool:
        if self.mode not in MODES:
            raise OsirInputError(f"PlatformSources mode must be one of {', '.join(MODES)}, not '{self.mode}'")
        return self.mode == "live"

    def _live_day(self, month: dt.date) -> dt.date:
        """Today, when ``month`` is the current month; otherwise the honest-months error."""
        today = utc_today()
        if month.replace(day=1) != today.replace(day=1):
            raise OsirInputError(
                f"live mode collects the current month ({today:%Y-%m}) only, not {month:%Y-%m}: the platforms show today's "
                "figures, which belong to no other month. Import an archive for other months "
                "(`osir reproduce ROOT --out OUT` or `osir run --archive ROOT`)."
            )
        return today

    def _registry(self):
        from osir_assets.registry.resources import load_registry

        return load_registry(self.registry_path or NATIVE_REGISTRY)

    def _collector(self, platform: str) -> Any:
        attribute = next(a for a, (p, _, _) in COLLECTORS.items() if p == platform)
        return getattr(self, attribute) or COLLECTOR_TYPES[attribute]()  # unconfigured: the public platform, no token

    def _rules(self) -> dict:
        rules = load_label_rules(self.label_rules or None)
        if self.min_language_model_parameters is not None:
            rules.setdefault("large_model", {})["min_language_parameters"] = self.min_language_model_parameters
        return rules

    def _keep_raw(self, month: dt.date, platform: str, kind: str, stats: dict) -> Path:
        path = self.raw_file(month, platform, kind)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(pack_raw_responses(stats["raw_responses"]))
        os.replace(partial, path)  # the file appears complete or not at all: it is the collection's receipt
        return path

    @staticmethod
    def _progress(log):
        def tell(update) -> None:
            if log is not None:
                log.info(str(update))
            progress_log.info(str(update))

        return tell

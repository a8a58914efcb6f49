"""The registry as a Dagster resource: loaded once per process and per file state, validated on load."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from dagster import ConfigurableResource
from pydantic import Field

from osir_assets.errors import OsirInputError
from osir_assets.registry.derived_labels import derived_label_files, with_derived_labels
from osir_assets.registry.model import Registry
from osir_assets.registry.native import REGISTRY_FILE, load_native_registry, registry_files
from osir_assets.registry.osir_lmts import load_osir_lmts_registry
from osir_assets.sample import SAMPLE_ROOT


def _is_native(root: Path) -> bool:
    return (root / REGISTRY_FILE).exists()


def _fingerprint(root: Path, derived_labels: str) -> tuple:
    # Any edit to a registry file changes the fingerprint, so a long-lived process never serves stale data.
    if _is_native(root):
        files = registry_files(root)
    else:
        files = [p for p in (root / "config").glob("*.json")] + list((root / "config").glob("*.yaml")) + list((root / "data").glob("*/*-summary.csv"))
        files += list((root / "data").glob("*.jsonl"))
    files += derived_label_files(Path(derived_labels)) if derived_labels else []
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))


@lru_cache(maxsize=4)
def _load(root: str, derived_labels: str, fingerprint: tuple) -> Registry:
    registry = load_native_registry(Path(root)) if _is_native(Path(root)) else load_osir_lmts_registry(Path(root))
    return with_derived_labels(registry, Path(derived_labels)) if derived_labels else registry


def load_registry(root: str | Path, derived_labels: str | Path | None = None) -> Registry:
    """OSIR's own registry (organisations.yaml) or the OSIR-LMTS layout (config/org-links.json), told apart
    by the files present. ``derived_labels``: a folder of labels derived by live collection, added to the
    registry's own (which win)."""
    root = Path(root)
    if not _is_native(root) and not (root / "config" / "org-links.json").exists():
        raise OsirInputError(f"not a registry folder (expected {REGISTRY_FILE} or config/org-links.json)", str(root))
    derived = str(derived_labels or "")
    return _load(str(root), derived, _fingerprint(root, derived))


class RegistryResource(ConfigurableResource):
    """Organisations, accounts, labels, constants and curated indicators (OSIR_REGISTRY)."""

    path: str = Field(default=str(SAMPLE_ROOT), description="Registry folder; defaults to the generated sample.")
    derived_labels: str = Field(default="", description="Live mode: the folder of labels derived by live collection (<db dir>/raw); empty: none.")

    def load(self) -> Registry:
        return load_registry(self.path, self.derived_labels)

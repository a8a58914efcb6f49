"""The registry as a Dagster resource: loaded once per process and per file state, validated on load."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from dagster import ConfigurableResource
from pydantic import Field

from osir_assets.errors import OsirInputError
from osir_assets.registry.model import Registry
from osir_assets.registry.osir_lmts import load_osir_lmts_registry
from osir_assets.sources.resources import SAMPLE_ROOT


def _fingerprint(root: Path) -> tuple:
    # Any edit to a registry file changes the fingerprint, so a long-lived process never serves stale data.
    files = [p for p in (root / "config").glob("*.json")] + list((root / "config").glob("*.yaml")) + list((root / "data").glob("*/*-summary.csv"))
    files += list((root / "data").glob("*.jsonl"))
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))


@lru_cache(maxsize=4)
def _load(root: str, fingerprint: tuple) -> Registry:
    return load_osir_lmts_registry(Path(root))


def load_registry(root: str | Path) -> Registry:
    root = Path(root)
    if not (root / "config" / "org-links.json").exists():
        raise OsirInputError("not a registry folder (expected config/org-links.json)", str(root))
    return _load(str(root), _fingerprint(root))


class RegistryResource(ConfigurableResource):
    """Organisations, accounts, labels, constants and curated indicators (OSIR_REGISTRY)."""

    path: str = Field(default=str(SAMPLE_ROOT), description="Registry folder; defaults to the bundled sample.")

    def load(self) -> Registry:
        return load_registry(self.path)

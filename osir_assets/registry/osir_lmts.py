"""Load a registry from a folder laid out like the published OSIR-LMTS data.

    ROOT/config/org-links.json            {org: {platform label: [account url, ...]}}
    ROOT/config/model-info.json           {"<repo>/<name>": {modality, is_large_model}}
    ROOT/config/dataset-info.json         {"<repo>/<name>": {modality, lifecycle, is_valid}}
    ROOT/data/<YYYY-MM-DD>/infra-summary.csv, eval-summary.csv   curated figures of that month
    ROOT/data/other-source-datasets.jsonl                          curated datasets outside the platforms

Per-org constants (data ``operators``, model ``num_adapted_chips``) come from ``ROOT/config/osir-constants.yaml``
when the folder has one (every organisation it names must be registered), else from the published
profile ``profiles/osir-lmts.yaml`` beside this module (applied to the organisations it knows).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import polars as pl

from osir_assets.errors import OsirInputError
from osir_assets.lib.jsonl import read_jsonl
from osir_assets.lib.package_files import package_path
from osir_assets.lib.yamlfile import read_yaml
from osir_assets.quality.waivers import load_waivers
from osir_assets.registry.model import (
    ACCOUNT_SCHEMA,
    CONSTANT_SCHEMA,
    CURATED_SCHEMA,
    DATASET_LABEL_SCHEMA,
    EXTRA_DATASET_SCHEMA,
    MODEL_LABEL_SCHEMA,
    Registry,
)

PLATFORM_LABELS = {"HuggingFace": "HuggingFace", "ModelScope": "ModelScope", "OpenDataLab": "OpenDataLab", "BAAI Data": "BAAIData"}
DEFAULT_PROFILE = package_path("registry", "profiles", "osir-lmts.yaml")
PUBLISHED_WAIVERS = package_path("registry", "profiles", "osir-lmts-waivers.yaml")


def archive_folders(root: Path) -> list[tuple[dt.date, Path]]:
    """Dated folders under ROOT/data, oldest first."""
    data = root / "data"
    if not data.is_dir():
        raise OsirInputError("no data/ folder (expected data/<YYYY-MM-DD>/...)", str(root))
    folders = []
    for child in sorted(data.iterdir()):
        if child.is_dir():
            try:
                folders.append((dt.date.fromisoformat(child.name), child))
            except ValueError:
                raise OsirInputError("folder name is not a date YYYY-MM-DD", str(child)) from None
    return folders


def _read_json_object(path: Path) -> dict:
    if not path.exists():
        raise OsirInputError("file not found", str(path))
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise OsirInputError(f"malformed JSON ({exc.msg})", str(path), exc.lineno) from None
    if not isinstance(value, dict):
        raise OsirInputError("a JSON object was expected", str(path), 1)
    return value


def _account_id(platform: str, url: str) -> str:
    parsed = urlparse(url)
    created_by = parse_qs(parsed.query).get("createdBy")
    if created_by:
        return created_by[0]
    segment = parsed.path.rstrip("/").rsplit("/", 1)[-1]
    return segment or parsed.netloc


def _accounts(links: dict, path: Path) -> pl.DataFrame:
    rows = []
    for org, platforms in links.items():
        if not isinstance(platforms, dict):
            raise OsirInputError(f"organisation '{org}' must map platform labels to URL lists", str(path))
        for label, urls in platforms.items():
            if label not in PLATFORM_LABELS:
                raise OsirInputError(f"organisation '{org}': unknown platform '{label}' (known: {', '.join(PLATFORM_LABELS)})", str(path))
            for url in urls:
                rows.append({"org": org, "platform": PLATFORM_LABELS[label], "account": _account_id(label, url), "url": url})
    return pl.DataFrame(rows, schema={**ACCOUNT_SCHEMA, "url": pl.String})


def _constants(orgs: list[str], profile_path: Path, strict: bool) -> pl.DataFrame:
    profile = read_yaml(profile_path)
    rows = []
    for name, spec in (profile.get("constants") or {}).items():
        values = spec.get("values") or {}
        unknown = sorted(set(values) - set(orgs))
        if unknown and strict:
            raise OsirInputError(f"constant '{name}' names unregistered organisations: {', '.join(unknown)}", str(profile_path))
        rows += [{"org": org, "constant": name, "value": float(values.get(org, spec.get("default", 0)))} for org in orgs]
    return pl.DataFrame(rows, schema=CONSTANT_SCHEMA)


def _labels(info: dict, fields: dict[str, pl.DataType]) -> pl.DataFrame:
    keys = list(info)
    columns = {"label_key": keys}
    for field in list(fields)[1:]:
        columns[field] = [entry.get(field) if isinstance(entry, dict) else None for entry in info.values()]
    return pl.DataFrame(columns, schema=fields, strict=False)


def _curated_table(path: Path, month: dt.date, snapshot: dt.date, dimension: str) -> pl.DataFrame:
    try:
        table = pl.read_csv(path, encoding="utf8-lossy", infer_schema_length=None)
    except Exception as exc:
        raise OsirInputError(f"unreadable CSV ({exc})", str(path)) from None
    table = table.rename({table.columns[0]: table.columns[0].lstrip("\ufeff")})
    if table.columns[0] != "org":
        raise OsirInputError("the first column must be 'org'", str(path), 1)
    indicators = table.columns[1:]
    bad = [c for c in indicators if not table.schema[c].is_numeric()]
    if bad:
        raise OsirInputError(f"curated columns must be numeric: {', '.join(bad)}", str(path))
    return (
        table.with_row_index("org_position", offset=1)
        .unpivot(index=["org", "org_position"], on=indicators, variable_name="indicator", value_name="value")
        .with_columns(
            pl.lit(month).alias("month"),
            pl.lit(snapshot).alias("snapshot_date"),
            pl.lit(dimension).alias("dimension"),
            pl.col("indicator").replace_strict({c: i for i, c in enumerate(indicators, start=1)}, return_dtype=pl.Int64).alias("position"),
        )
        .select([pl.col(c).cast(t) for c, t in CURATED_SCHEMA.items()])
    )


def load_osir_lmts_registry(root: Path, profile: Path = DEFAULT_PROFILE) -> Registry:
    root = Path(root)
    if not root.is_dir():
        raise OsirInputError("registry folder not found", str(root))
    config = root / "config"
    links = _read_json_object(config / "org-links.json")
    own_constants = config / "osir-constants.yaml"
    orgs = list(links)
    curated = []
    for snapshot, folder in archive_folders(root):
        month = snapshot.replace(day=1)
        for dimension in ("infra", "eval"):
            path = folder / f"{dimension}-summary.csv"
            if path.exists():
                curated.append(_curated_table(path, month, snapshot, dimension))
    extra_path = root / "data" / "other-source-datasets.jsonl"
    extra = read_jsonl(extra_path, EXTRA_DATASET_SCHEMA, ["org", "dataset_name"]) if extra_path.exists() else pl.DataFrame(schema=EXTRA_DATASET_SCHEMA)
    return Registry(
        source=str(root),
        organisations=tuple(orgs),
        accounts=_accounts(links, config / "org-links.json"),
        constants=_constants(orgs, own_constants if own_constants.exists() else profile, strict=own_constants.exists()),
        model_labels=_labels(_read_json_object(config / "model-info.json"), MODEL_LABEL_SCHEMA),
        dataset_labels=_labels(_read_json_object(config / "dataset-info.json"), DATASET_LABEL_SCHEMA),
        curated=pl.concat(curated) if curated else pl.DataFrame(schema=CURATED_SCHEMA),
        extra_datasets=extra,
        waivers=pl.concat([load_waivers(PUBLISHED_WAIVERS), load_waivers(config / "osir-waivers.yaml")]),
    )

"""Labels that live collection derived from the label rules, kept beside the database and read back into the registry.

A live collection labels every repository it sees (``sources/live/labels.py``): explicit registry labels win,
the rules label the rest. The rule-derived labels are written per month and platform as a small CSV,

    <raw dir>/<YYYY-MM>/<Platform>-<kind>.labels.csv
    label_key, kind, modality, lifecycle, is_large_model, is_valid, is_transformer_era, needs_review

and, in live mode, the registry resource adds them to the registry's own labels (explicit labels win; for a
repository labelled in several months the newest month wins). The month's ``registry_model_labels`` and
``registry_dataset_labels`` therefore hold both, and the staging SQL needs no change. ``needs_review`` marks
the repositories the rules could not label completely: they stay out of the ranking until someone labels them
in the registry (the CSV is the list to start from).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import polars as pl

from osir_assets.registry.model import DATASET_LABEL_SCHEMA, MODEL_LABEL_SCHEMA, Registry

DERIVED_SCHEMA: dict[str, pl.DataType] = {
    "label_key": pl.String,
    "kind": pl.String,
    "modality": pl.String,
    "lifecycle": pl.String,
    "is_large_model": pl.Boolean,
    "is_valid": pl.Boolean,
    "is_transformer_era": pl.Boolean,
    "needs_review": pl.Boolean,
}
SUFFIX = ".labels.csv"


def derived_label_files(root: Path) -> list[Path]:
    return sorted(Path(root).glob(f"*/*{SUFFIX}")) if root and Path(root).is_dir() else []


def write_derived_labels(labelled: pl.DataFrame, unlabelled: list[str], path: Path) -> int:
    """Write the rule-labelled rows of an ``apply_labels`` frame (explicit ones are in the registry already)."""
    rows = (
        labelled.filter(pl.col("label_source") == "rules")
        .unique(subset="label_key", keep="first", maintain_order=True)
        .with_columns(pl.col("label_key").is_in(unlabelled).alias("needs_review"))
        .select([pl.col(c).cast(t) for c, t in DERIVED_SCHEMA.items()])
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    rows.write_csv(partial)
    os.replace(partial, path)  # readers never see half a file
    return rows.height


def read_derived_labels(root: Path) -> pl.DataFrame:
    """Every month's derived labels, newest month first (the folder names sort by month)."""
    files = derived_label_files(root)
    if not files:
        return pl.DataFrame(schema={**DERIVED_SCHEMA, "labelled_month": pl.String})
    frames = [pl.read_csv(f, schema=DERIVED_SCHEMA).with_columns(pl.lit(f.parent.name).alias("labelled_month")) for f in files]
    return pl.concat(frames).sort("labelled_month", descending=True, maintain_order=True)


def _union(explicit: pl.DataFrame, derived: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    newest = derived.unique(subset="label_key", keep="first", maintain_order=True).select(list(schema))
    return pl.concat([explicit.select(list(schema)), newest.join(explicit.select("label_key"), on="label_key", how="anti")])


def with_derived_labels(registry: Registry, root: Path) -> Registry:
    """The registry with the derived labels under ``root`` added; explicit labels win."""
    derived = read_derived_labels(root)
    if derived.is_empty():
        return registry
    return replace(
        registry,
        model_labels=_union(registry.model_labels, derived.filter(pl.col("kind") == "model"), MODEL_LABEL_SCHEMA),
        dataset_labels=_union(registry.dataset_labels, derived.filter(pl.col("kind") == "dataset"), DATASET_LABEL_SCHEMA),
    )

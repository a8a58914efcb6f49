"""Rule-based labels for collected repositories: modality, lifecycle, Transformer-era, large model, validity.

The published ranking froze labels that LLMs produced (``config/model-info.json``, ``dataset-info.json``).
New repositories appear every month; these rules give them a first label from what the platform itself says
(pipeline tag, tags, library, card data, config architecture, safetensors parameter count), with no LLM:

* Explicit labels (a frame with ``label_key`` and any of modality, lifecycle, is_large_model, is_valid) win
  for every repository they name, field values and nulls alike.
* Otherwise the rules table decides (``label_rules.yaml`` beside this module, or a dict of the same shape).
* What neither can label is returned as a list for review.

Everything is polars expressions over the whole frame: one pass, no Python loop over rows (the only loops
are over the rules, to build the expressions).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from osir_assets.lib.package_files import package_path

DEFAULT_RULES_PATH = package_path("sources", "live", "label_rules.yaml")

# What the rules read from `details` (the collectors' JSON text). Decoding is lenient: absent keys are null.
SIGNALS = pl.Struct(
    {
        "pipeline_tag": pl.String,
        "library_name": pl.String,
        "model_type": pl.String,
        "auto_model": pl.String,
        "parameters": pl.Int64,
        "tags": pl.List(pl.String),
        "architectures": pl.List(pl.String),
        "task_categories": pl.List(pl.String),
        "tasks": pl.List(pl.String),
        "media_types": pl.List(pl.String),
        "task_types": pl.List(pl.String),
        "siblings": pl.List(pl.String),
    }
)
SCALAR_FIELDS = ("pipeline_tag", "library_name", "model_type", "auto_model")
LIST_FIELDS = ("tags", "architectures", "task_categories", "tasks", "media_types", "task_types")
LABEL_COLUMNS = {"modality": pl.String, "lifecycle": pl.String, "is_large_model": pl.Boolean, "is_valid": pl.Boolean}


@dataclass(frozen=True)
class LabelResult:
    frame: pl.DataFrame  # the input plus label_key, modality, lifecycle, is_transformer_era, is_large_model, is_valid, label_source
    unlabelled: list[str]  # label keys neither explicit labels nor rules could label


def load_label_rules(path: str | Path | None = None) -> dict[str, Any]:
    return yaml.safe_load(Path(path or DEFAULT_RULES_PATH).read_text(encoding="utf-8")) or {}


def apply_labels(snapshot: pl.DataFrame, rules: dict[str, Any] | None = None, explicit: pl.DataFrame | None = None) -> LabelResult:
    """Label a snapshot frame (SNAPSHOT_SCHEMA columns: at least account, name, kind, details)."""
    rules = rules if rules is not None else load_label_rules()
    signals = snapshot.with_columns(
        (pl.col("account") + "/" + pl.col("name")).alias("label_key"),
        pl.col("details").str.json_decode(SIGNALS).alias("_signals"),
    ).unnest("_signals")

    is_model, is_dataset = pl.col("kind") == "model", pl.col("kind") == "dataset"
    modality = _first_match(rules.get("modality", []))
    lifecycle = pl.when(is_dataset).then(_first_match(rules.get("lifecycle", []), kind="dataset"))
    transformer_era = _transformer_era(rules.get("large_model", {}))
    by_rules = signals.with_columns(modality.alias("modality"), lifecycle.alias("lifecycle")).with_columns(
        pl.when(is_model).then(transformer_era).alias("is_transformer_era"),
    ).with_columns(
        pl.when(is_model).then(_large_model(rules.get("large_model", {}))).alias("is_large_model"),
        pl.when(is_dataset).then(_valid(rules.get("validity", {}))).alias("is_valid"),
    )

    labelled = _apply_explicit(by_rules, explicit)
    missing = (pl.col("label_source") == "rules") & pl.when(is_model).then(
        pl.col("modality").is_null() | pl.col("is_large_model").is_null()
    ).otherwise(pl.col("lifecycle").is_null() | (pl.col("modality").is_null() & (pl.col("lifecycle") != "Evaluation")))
    unlabelled = labelled.filter(missing).get_column("label_key").unique(maintain_order=True).to_list()
    keep = [*snapshot.columns, "label_key", *LABEL_COLUMNS, "is_transformer_era", "label_source"]
    return LabelResult(labelled.select(keep), unlabelled)


# ------------------------------------------------------------------------------------------- matching


def _lower_in(column: str, values: list[str]) -> pl.Expr:
    return pl.col(column).str.to_lowercase().is_in([str(v).lower() for v in values]).fill_null(False)


def _any_in(column: str, values: list[str]) -> pl.Expr:
    wanted = [str(v).lower() for v in values]
    return pl.col(column).list.eval(pl.element().str.to_lowercase().is_in(wanted)).list.any().fill_null(False)


def _all_in(column: str, values: list[str]) -> pl.Expr:
    wanted = [str(v).lower() for v in values]
    return pl.col(column).list.eval(pl.element().str.to_lowercase()).list.set_intersection(pl.lit(wanted)).list.len().eq(len(set(wanted))).fill_null(False)


def _condition(rule: dict[str, Any]) -> pl.Expr:
    """A rule matches when any of its conditions does."""
    parts = [_lower_in(f, rule[f]) for f in SCALAR_FIELDS if rule.get(f)]
    parts += [_any_in(f, rule[f]) for f in LIST_FIELDS if rule.get(f)]
    if rule.get("all_tags"):
        parts.append(_all_in("tags", rule["all_tags"]))
    if rule.get("name_pattern"):
        parts.append(pl.col("name").str.contains(rule["name_pattern"]).fill_null(False))
    matched = reduce(lambda a, b: a | b, parts) if parts else pl.lit(False)
    if rule.get("kinds"):
        matched = matched & pl.col("kind").is_in(rule["kinds"])
    return matched


def _first_match(rules: list[dict[str, Any]], kind: str | None = None) -> pl.Expr:
    """The label of the first rule that matches, else null."""
    applicable = [r for r in rules if kind is None or not r.get("kinds") or kind in r["kinds"]]
    if not applicable:
        return pl.lit(None, dtype=pl.String)
    chain = pl.when(_condition(applicable[0])).then(pl.lit(applicable[0]["label"]))
    for rule in applicable[1:]:
        chain = chain.when(_condition(rule)).then(pl.lit(rule["label"]))
    return chain.otherwise(pl.lit(None, dtype=pl.String))


def _transformer_era(spec: dict[str, Any]) -> pl.Expr:
    """True for Transformer-or-newer architectures, False for known older families, null when nothing says."""
    older = _lower_in("model_type", spec.get("non_transformer_model_types", []))
    has_architecture = pl.col("model_type").is_not_null() | (pl.col("architectures").list.len() > 0).fill_null(False) | pl.col("auto_model").is_not_null()
    transformer_signal = (
        has_architecture
        | _lower_in("library_name", spec.get("transformer_libraries", []))
        | _any_in("tags", spec.get("transformer_tags", []))
    )
    return pl.when(older).then(False).when(transformer_signal).then(True).otherwise(pl.lit(None, dtype=pl.Boolean))


def _large_model(spec: dict[str, Any]) -> pl.Expr:
    excluded = _lower_in("model_type", spec.get("excluded_model_types", []))
    vector = pl.col("modality") == "Vector"
    small_lm = pl.lit(False)
    if spec.get("min_language_parameters"):
        small_lm = ((pl.col("modality") == "Language") & (pl.col("parameters") < int(spec["min_language_parameters"]))).fill_null(False)
    return (
        pl.when(vector).then(True)  # embeddings count whatever their backbone (the ranking's Vector models)
        .when(excluded).then(False)
        .when(small_lm).then(False)
        .when(pl.col("is_transformer_era").is_not_null()).then(pl.col("is_transformer_era"))
        .otherwise(pl.lit(None, dtype=pl.Boolean))
    )  # fmt: skip


def _valid(spec: dict[str, Any]) -> pl.Expr:
    placeholder = [str(f).lower() for f in spec.get("placeholder_files", [])]
    empty_repo = (pl.col("siblings").list.eval(pl.element().str.to_lowercase().is_in(placeholder).not_()).list.sum() == 0).fill_null(False)
    bad_name = pl.col("name").str.contains(spec["invalid_name_pattern"]).fill_null(False) if spec.get("invalid_name_pattern") else pl.lit(False)
    return ~(bad_name | empty_repo)


# ------------------------------------------------------------------------------------------- explicit


def _apply_explicit(by_rules: pl.DataFrame, explicit: pl.DataFrame | None) -> pl.DataFrame:
    if explicit is None or explicit.is_empty():
        return by_rules.with_columns(pl.lit("rules").alias("label_source"))
    given = explicit.with_columns(
        [pl.lit(None, dtype=t).alias(c) for c, t in LABEL_COLUMNS.items() if c not in explicit.columns]
    ).select("label_key", *[pl.col(c).cast(t).alias(f"explicit_{c}") for c, t in LABEL_COLUMNS.items()])
    given = given.unique(subset="label_key", keep="first", maintain_order=True).with_columns(pl.lit(True).alias("_explicit"))
    joined = by_rules.join(given, on="label_key", how="left", maintain_order="left")
    has_explicit = pl.col("_explicit").fill_null(False)
    return joined.with_columns(
        *[pl.when(has_explicit).then(pl.col(f"explicit_{c}")).otherwise(pl.col(c)).alias(c) for c in LABEL_COLUMNS],
        pl.when(has_explicit).then(pl.lit("explicit")).otherwise(pl.lit("rules")).alias("label_source"),
    ).drop([f"explicit_{c}" for c in LABEL_COLUMNS] + ["_explicit"])

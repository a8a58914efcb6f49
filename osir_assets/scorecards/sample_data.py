"""The sample archive's scorecard part: what a live listing would have kept about each Hugging Face model.

Every model record of the sample's later months gets a ``details`` text (the shape the live collector stores:
tags, siblings, card data, gated, dates, spaces, and the per-model ``card_extras``), varied by the model's number
so that the cards show safe, pickle-only, dangerous, gated and unlicensed models. The first month keeps the crawl's
fields only, as an archive month does: its cards are partial. One look-alike is added: Sample Org 2's account
uploads a copy named like Sample Org 1's most downloaded model (``sample-org-2`` folds to one edit from
``sample-org-1``); it is labelled, and not a large model, so the ranking does not count it.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

LICENCES = ["apache-2.0", "mit", "llama3.1", "cc-by-nc-4.0", "gpl-3.0", "openrail", "apache-2.0", "bsd-3-clause", None]
LOOKALIKE_ACCOUNT = "sample-org-2"


def _lookalike_name(models: pl.DataFrame) -> str:
    return models.filter(pl.col("org_index") == 0).sort("base_downloads", descending=True)["model_name"][0]


def lookalike_labels(models: pl.DataFrame) -> dict:
    """model-info.json entries for the look-alike: labelled, so no audit warns, and not a large model, so no ranking counts it."""
    return {f"{LOOKALIKE_ACCOUNT}/{_lookalike_name(models)}": {"modality": "Language", "is_large_model": False}}


def hub_model_records(records: pl.DataFrame, models: pl.DataFrame, day: dt.date, first_month: bool) -> pl.DataFrame:
    """A month's Hugging Face model records (repo, model_name, counters, link) plus the look-alike, with ``details``."""
    name = _lookalike_name(models)
    lookalike = pl.DataFrame({"repo": [LOOKALIKE_ACCOUNT], "model_name": [name], "downloads_last_month": [3], "likes": [0], "community": [0],
                              "descendants": [0], "link": [f"https://huggingface.co/{LOOKALIKE_ACCOUNT}/{name}"]})
    return with_model_cards(pl.concat([records, lookalike.cast(records.select(lookalike.columns).schema)]).select(records.columns), day, first_month)


def with_model_cards(records: pl.DataFrame, day: dt.date, first_month: bool) -> pl.DataFrame:
    """``records`` (a month's Hugging Face model records: repo, model_name, ...) with a ``details`` column."""
    if first_month:
        return records
    number = pl.col("model_name").str.extract(r"(\d+)$").cast(pl.Int64).fill_null(0)
    pickle_only, both, remote = number % 7 == 3, number % 11 == 5, number % 13 == 6
    weights = (
        pl.when(pickle_only).then(pl.lit(["pytorch_model.bin"]))
        .when(both).then(pl.lit(["model.safetensors", "pytorch_model.bin"]))
        .otherwise(pl.lit(["model.safetensors"]))
    )
    siblings = pl.concat_list(pl.lit(["README.md", "config.json"]), weights, pl.when(remote).then(pl.lit(["modeling_sample.py"])).otherwise(pl.lit([], dtype=pl.List(pl.String))))
    licence = (number % len(LICENCES)).replace_strict(dict(enumerate(LICENCES)), return_dtype=pl.String)
    tags = pl.concat_list(
        pl.lit(["transformers", "text-generation"]),
        pl.when(number % 4 == 0).then(pl.concat_list(pl.format("arxiv:2401.{}", number.cast(pl.String).str.zfill(5)))).otherwise(pl.lit([], dtype=pl.List(pl.String))),
        pl.when(number % 3 == 0).then(pl.lit(["base_model:finetune:sample-org-1/model-0000000"])).otherwise(pl.lit([], dtype=pl.List(pl.String))),
        pl.when(remote).then(pl.lit(["custom_code"])).otherwise(pl.lit([], dtype=pl.List(pl.String))),
    )
    dangerous = pickle_only & (number % 3 == 0)
    scan = pl.struct(
        pl.lit(3).alias("files_scanned"),
        pl.when(dangerous).then(pl.lit(["os.system"])).otherwise(pl.lit([], dtype=pl.List(pl.String))).alias("dangerous_imports"),
        pl.lit([], dtype=pl.List(pl.String)).alias("infected_files"),
    )
    extras = pl.struct(
        (number % 9).alias("discussions"),
        (number % 4).alias("pull_requests"),
        pl.when(number % 9 > 0).then(pl.lit(day) - pl.duration(days=(number * 17) % 400)).otherwise(None).dt.strftime("%Y-%m-%dT00:00:00").alias("last_thread_at"),
        scan.alias("scan"),
    )
    card = pl.struct(
        licence.alias("license"),
        pl.when(number % 5 != 1).then(pl.lit(["accuracy"])).otherwise(pl.lit([], dtype=pl.List(pl.String))).alias("metrics"),
        pl.when(number % 2 == 0).then(pl.lit(["sample-org-1/dataset-0000000"])).otherwise(pl.lit([], dtype=pl.List(pl.String))).alias("datasets"),
        pl.when(number % 6 == 0).then(pl.lit("https://github.com/sample-org/code")).otherwise(None).alias("repo"),
    )
    details = pl.struct(
        tags.alias("tags"),
        siblings.alias("siblings"),
        card.alias("card_data"),
        licence.alias("license"),
        pl.lit("transformers").alias("library_name"),
        pl.when(number % 10 == 4).then(pl.lit("manual")).when(number % 15 == 8).then(pl.lit("auto")).otherwise(pl.lit("false")).alias("gated"),
        (pl.lit(day) - pl.duration(days=30 + (number * 37) % 900)).dt.strftime("%Y-%m-%dT00:00:00").alias("created_at"),
        (pl.lit(day) - pl.duration(days=(number * 23) % 700)).dt.strftime("%Y-%m-%dT00:00:00").alias("last_modified"),
        (number % 5).alias("spaces_count"),
        (number % 8 == 2).alias("has_eval_results"),
        (number % 3 == 1).alias("has_widget"),
        extras.alias("card_extras"),
    )
    return records.with_columns(details.struct.json_encode().alias("details"))

"""Reading an Open LLM Leaderboard snapshot, in any of its known layouts, into one normalised table.

Three layouts are recognised by their columns:

* ``official``: the leaderboard's contents dataset (``open-llm-leaderboard/contents``, Parquet), or a CSV with
  the same column names (``fullname``, ``Average ⬆️``, ``Type``, ``Base Model`` ...);
* ``formatted``: the flattened ``/api/leaderboard/formatted`` export of leaderboard v2 (``model_name``,
  ``model_average_score``, ``features_is_flagged`` ...; ``features_is_not_available_on_hub`` holds "available");
* ``v1``: the final leaderboard v1 table (``fullname``, ``average``, ``arc`` ... ``gsm8k``). Its exports invert
  ``merged``, ``flagged`` and ``moe``: pass ``invert_flags=True`` to read them the right way round. Nothing is
  guessed: a v1 file read as it is shows most rows flagged, and the source asset's audit warns about it.

Columns a layout does not know (an unnamed index column, a new benchmark) are ignored; a missing required
column stops the import with an error naming it. Everything is column-wise polars.
"""

from pathlib import Path

import polars as pl

from osir_assets.errors import OsirInputError

BENCHMARKS = ("ifeval", "bbh", "math_lvl5", "gpqa", "musr", "mmlu_pro", "arc", "hellaswag", "mmlu", "truthfulqa", "winogrande", "gsm8k")
TYPES = ("pretrained", "continuously pretrained", "fine-tuned", "chat", "merge", "multimodal", "other")

# Normalised name -> the column holding it, per layout. None: the layout has no such column (NULL).
LAYOUTS: dict[str, dict[str, str | None]] = {
    "official": {
        "model": "fullname", "sha": "Model sha", "precision": "Precision", "average": "Average ⬆️", "type": "Type",
        "architecture": "Architecture", "weight_type": "Weight type", "license": "Hub License", "params_b": "#Params (B)",
        "likes": "Hub ❤️", "merged": "Merged", "moe": "MoE", "flagged": "Flagged", "official_provider": "Official Providers",
        "available_on_hub": "Available on the hub", "upload_date": "Upload To Hub Date", "submission_date": "Submission Date",
        "generation": "Generation", "base_model": "Base Model",
        "ifeval": "IFEval", "bbh": "BBH", "math_lvl5": "MATH Lvl 5", "gpqa": "GPQA", "musr": "MUSR", "mmlu_pro": "MMLU-PRO",
    },
    "formatted": {
        "model": "model_name", "sha": "model_sha", "precision": "model_precision", "average": "model_average_score", "type": "model_type",
        "architecture": "model_architecture", "weight_type": "model_weight_type", "license": "metadata_hub_license",
        "params_b": "metadata_params_billions", "likes": "metadata_hub_hearts", "merged": "features_is_merged", "moe": "features_is_moe",
        "flagged": "features_is_flagged", "official_provider": "features_is_official_provider",
        # Despite its name this column holds "available on the hub" (TRUE = available): see shared/leaderboard/README.md.
        "available_on_hub": "features_is_not_available_on_hub",
        "upload_date": "metadata_upload_date", "submission_date": "metadata_submission_date", "generation": "metadata_generation",
        "base_model": "metadata_base_model",
        "ifeval": "evaluations_ifeval_normalized_score", "bbh": "evaluations_bbh_normalized_score", "math_lvl5": "evaluations_math_normalized_score",
        "gpqa": "evaluations_gpqa_normalized_score", "musr": "evaluations_musr_normalized_score", "mmlu_pro": "evaluations_mmlu_pro_normalized_score",
    },
    "v1": {
        "model": "fullname", "sha": "model_sha", "precision": "precision", "average": "average", "type": "type",
        "architecture": "architecture", "weight_type": "weight_type", "license": "hub_license", "params_b": "params_b",
        "likes": "hub_hearts", "merged": "merged", "moe": "moe", "flagged": "flagged", "official_provider": None,
        "available_on_hub": "available_on_the_hub", "upload_date": None, "submission_date": "date", "generation": None, "base_model": None,
        "arc": "arc", "hellaswag": "hellaswag", "mmlu": "mmlu", "truthfulqa": "truthfulqa", "winogrande": "winogrande", "gsm8k": "gsm8k",
    },
}
REQUIRED = ("model", "sha", "precision", "average", "type", "flagged")
FLAGS = ("merged", "moe", "flagged")

ENTRY_SCHEMA = {
    "source_row": pl.Int64, "model": pl.String, "author": pl.String, "sha": pl.String, "precision": pl.String, "average": pl.Float64,
    **{b: pl.Float64 for b in BENCHMARKS},
    "type": pl.String, "architecture": pl.String, "weight_type": pl.String, "license": pl.String, "params_b": pl.Float64, "likes": pl.Int64,
    "merged": pl.Boolean, "moe": pl.Boolean, "flagged": pl.Boolean, "official_provider": pl.Boolean, "available_on_hub": pl.Boolean,
    "upload_date": pl.Date, "submission_date": pl.Date, "generation": pl.Int32, "base_model": pl.String,
}


def empty_entries() -> pl.DataFrame:
    return pl.DataFrame(schema=ENTRY_SCHEMA)


def detect_layout(columns: list[str], where: str) -> str:
    """The layout whose required columns the file has; else an error naming what the closest layout lacks."""
    present = set(columns)
    missing = {name: [LAYOUTS[name][c] for c in REQUIRED if LAYOUTS[name][c] not in present] for name in LAYOUTS}
    complete = [name for name, lacking in missing.items() if not lacking]
    if complete:
        # v1 and official share `fullname`; only v1 has a lower-case `average`.
        return "v1" if "v1" in complete and "average" in present else complete[0]
    closest = min(missing, key=lambda name: len(missing[name]))
    raise OsirInputError(
        f"missing required column{'s' if len(missing[closest]) > 1 else ''} {', '.join(repr(c) for c in missing[closest])} "
        f"(read as the {closest} leaderboard layout; see osir_assets/leaderboard/source.py)",
        where,
    )


def _boolean(column: pl.Expr) -> pl.Expr:
    """TRUE/FALSE/true/1 text or real booleans, as booleans."""
    text = column.cast(pl.String).str.strip_chars().str.to_lowercase()
    return pl.when(text.is_in(["true", "1", "yes"])).then(True).when(text.is_in(["false", "0", "no"])).then(False).otherwise(None)


def _date(column: pl.Expr) -> pl.Expr:
    """ISO dates or timestamps (the v1 export's ``2024-05-05T12:22:44Z``), as dates."""
    return column.cast(pl.String).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)


def normalised_type(column: pl.Expr) -> pl.Expr:
    """The Type column (with or without its emoji and spaces: ``🔶 fine-tuned on ...``, ``fine-tunedondomain-specificdatasets``)
    as one of TYPES."""
    letters = column.cast(pl.String).str.to_lowercase().str.replace_all(r"[^a-z]", "")
    return (
        pl.when(letters.str.starts_with("pretrained")).then(pl.lit("pretrained"))
        .when(letters.str.starts_with("continuouslypretrained")).then(pl.lit("continuously pretrained"))
        .when(letters.str.starts_with("finetuned")).then(pl.lit("fine-tuned"))
        .when(letters.str.starts_with("chat")).then(pl.lit("chat"))
        .when(letters.str.starts_with("basemerges") | letters.str.starts_with("merge")).then(pl.lit("merge"))
        .when(letters.str.starts_with("multimodal")).then(pl.lit("multimodal"))
        .otherwise(pl.lit("other"))
    )


def normalise(raw: pl.DataFrame, where: str, invert_flags: bool = False) -> pl.DataFrame:
    """A raw leaderboard table (any known layout) -> the normalised entries (ENTRY_SCHEMA), one row per raw row."""
    layout = LAYOUTS[detect_layout(raw.columns, where)]

    def column(name: str) -> pl.Expr:
        source = layout.get(name)
        return pl.col(source) if source in raw.columns else pl.lit(None)

    # A snapshot holds a handful of distinct Type values: each is normalised once, then looked up per row.
    types = raw.select(column("type").cast(pl.String).fill_null("").unique().alias("raw"))
    types = types.with_columns(normalised_type(pl.col("raw")).alias("type"))
    model = column("model").cast(pl.String).str.strip_chars()
    base = column("base_model").cast(pl.String).str.strip_chars()
    flags = [(_boolean(column(f)).not_() if invert_flags else _boolean(column(f))).alias(f) for f in FLAGS]
    frame = raw.with_row_index("source_row").select(
        pl.col("source_row").cast(pl.Int64),
        model.alias("model"),
        pl.when(model.str.contains("/", literal=True)).then(model.str.split("/").list.first()).otherwise(model).alias("author"),
        column("sha").cast(pl.String).alias("sha"),
        column("precision").cast(pl.String).alias("precision"),
        column("average").cast(pl.Float64, strict=False).alias("average"),
        *[column(b).cast(pl.Float64, strict=False).alias(b) for b in BENCHMARKS],
        column("type").cast(pl.String).fill_null("").replace_strict(types["raw"], types["type"]).alias("type"),
        *[column(c).cast(pl.String).alias(c) for c in ("architecture", "weight_type")],
        pl.when(column("license").cast(pl.String).str.strip_chars() != "").then(column("license").cast(pl.String)).alias("license"),
        column("params_b").cast(pl.Float64, strict=False).alias("params_b"),
        column("likes").cast(pl.Float64, strict=False).cast(pl.Int64).alias("likes"),
        *flags,
        *[_boolean(column(c)).alias(c) for c in ("official_provider", "available_on_hub")],
        _date(column("upload_date")).alias("upload_date"),
        _date(column("submission_date")).alias("submission_date"),
        column("generation").cast(pl.Float64, strict=False).cast(pl.Int32).alias("generation"),
        # A base model is another model's id; `Removed`, an empty cell or the model itself mean none.
        pl.when(base.str.contains("/", literal=True) & (base != model)).then(base).alias("base_model"),
    )
    return frame.cast(ENTRY_SCHEMA)


def _read(path: Path, header_only: bool = False) -> pl.DataFrame:
    if not path.is_file():
        raise OsirInputError("leaderboard file not found", str(path))
    if path.suffix.lower() == ".parquet":
        return pl.read_parquet(path, n_rows=0 if header_only else None)
    if path.suffix.lower() == ".csv":
        # Text throughout: the normaliser casts, so a column that only looks numeric never fails the read.
        return pl.read_csv(path, infer_schema=False, n_rows=0 if header_only else None)
    raise OsirInputError("a leaderboard snapshot must be a .parquet or .csv file", str(path))


def check_leaderboard_file(path: Path) -> str:
    """The file's layout, from its header alone (a missing required column is an error naming it)."""
    return detect_layout(_read(path, header_only=True).columns, str(path))


def read_leaderboard_file(path: Path, invert_flags: bool = False) -> pl.DataFrame:
    """A Parquet or CSV snapshot -> the normalised entries."""
    return normalise(_read(path), str(path), invert_flags)

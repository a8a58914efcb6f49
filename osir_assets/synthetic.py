"""Synthetic archives in the OSIR-LMTS layout: the sample (see sources/resources.sample_archive) and the benchmark's large months.

Everything is generated column-wise with numpy and written with polars, so a month of a million model
repositories takes seconds. The data are invented; organisation names say so.

    python -m osir_assets.synthetic OUT --orgs 6 --models 40 --datasets 15 --months 3 --seed 7
"""

import argparse
import datetime as dt
import json
from pathlib import Path

import numpy as np
import polars as pl

from osir_assets.leaderboard.sample_data import write_sample_leaderboard
from osir_assets.scorecards import sample_data as scorecards_sample

MODEL_MODALITIES = ["Language", "Vision", "Multimodal", "Speech", "Vector", "3D", "Protein", "Embodied"]
DATASET_MODALITIES = ["Language", "Vision", "Multimodal", "Speech", "Embodied", None]
LIFECYCLES = ["Pre-training", "Fine-tuning", "Preference", "Evaluation"]
INFRA = ["num_operators", "num_adapted_chips_operator_lib", "num_adapted_frameworks_operator_lib", "support_heterogeneous_training_frameworks",
         "num_adapted_chips_frameworks", "support_lifecycle", "deep_learning_framework"]
EVAL = ["num_leaderboards", "num_evaluated_models", "num_evaluation_datasets", "num_evaluation_methods", "num_evaluation_tools"]
SAMPLE_NOTE = """SAMPLE DATA: synthetic, invented by osir_assets/synthetic.py for trying OSIR out and for tests.
Organisations, accounts, repositories and figures are made up; no ranking here describes the real world.
Layout: the published OSIR-LMTS layout (config/, data/<YYYY-MM-DD>/<Platform>/raw-*-info.jsonl).
"""


def _dates(months: int, first: dt.date) -> list[dt.date]:
    dates = []
    for i in range(months):
        year, month = divmod(first.month - 1 + i, 12)
        dates.append(dt.date(first.year + year, month + 1, min(first.day, 28)))
    return dates


def generate_archive(out: Path, orgs: int, models_per_org: int, datasets_per_org: int, months: int, seed: int = 7,
                     first: dt.date = dt.date(2024, 11, 14), curated_from: int = 1) -> Path:
    """Write an archive; months from index ``curated_from`` on get curated infra/eval tables (and so ranks)."""
    rng = np.random.default_rng(seed)
    out = Path(out)
    (out / "config").mkdir(parents=True, exist_ok=True)
    names = [f"Sample Org {i + 1:0{len(str(orgs))}d}" for i in range(orgs)]
    hf_accounts = [f"sample-org-{i + 1}" for i in range(orgs)]
    ms_accounts = [f"SampleOrg{i + 1}" for i in range(orgs)]
    links = {}
    for i, name in enumerate(names):
        links[name] = {"HuggingFace": [f"https://huggingface.co/{hf_accounts[i]}"]}
        if i % 2 == 0:
            links[name]["ModelScope"] = [f"https://modelscope.cn/organization/{ms_accounts[i]}"]
    links[names[0]]["BAAI Data"] = ["https://data.baai.ac.cn/dataset"]
    links[names[min(1, orgs - 1)]]["OpenDataLab"] = ["https://opendatalab.com/?createdBy=4242&pageNo=0&pageSize=12&sort=downloadCount"]
    (out / "config" / "org-links.json").write_text(json.dumps(links, indent=1), encoding="utf-8")
    constants = {"operators": {"default": 0, "values": {names[0]: 24}}, "num_adapted_chips": {"default": 1, "values": {names[0]: 4, names[-1]: 2}}}
    (out / "config" / "osir-constants.yaml").write_text(json.dumps({"constants": constants}, indent=1), encoding="utf-8")

    n_models, n_datasets = orgs * models_per_org, orgs * datasets_per_org
    model_org = np.repeat(np.arange(orgs), models_per_org)
    model_name = pl.Series(np.arange(n_models)).cast(pl.String).str.pad_start(7, "0")
    models = pl.DataFrame({
        "org_index": model_org,
        "repo": np.array(hf_accounts)[model_org],
        "model_name": ("model-" + model_name).to_numpy(),
        "modality": rng.choice(MODEL_MODALITIES, n_models, p=[0.4, 0.15, 0.15, 0.08, 0.1, 0.04, 0.04, 0.04]),
        "is_large_model": rng.random(n_models) < 0.9,
        "base_downloads": np.floor(rng.lognormal(6, 2.2, n_models)).astype(np.int64),
        "on_modelscope": (model_org % 2 == 0) & (rng.random(n_models) < 0.3),
    })
    dataset_org = np.repeat(np.arange(orgs), datasets_per_org)
    datasets = pl.DataFrame({
        "org_index": dataset_org,
        "repo": np.array(hf_accounts)[dataset_org],
        "dataset_name": ("dataset-" + pl.Series(np.arange(n_datasets)).cast(pl.String).str.pad_start(7, "0")).to_numpy(),
        "modality": pl.Series(DATASET_MODALITIES, dtype=pl.String).gather(rng.integers(0, len(DATASET_MODALITIES), n_datasets)),
        "lifecycle": rng.choice(LIFECYCLES, n_datasets),
        "is_valid": rng.random(n_datasets) < 0.95,
        "base_downloads": np.floor(rng.lognormal(5, 2, n_datasets)).astype(np.int64),
        "platform_pick": rng.random(n_datasets),
    })
    model_info = dict(zip((models["repo"] + "/" + models["model_name"]).to_list(),
                          models.select(pl.struct(modality="modality", is_large_model="is_large_model")).to_series().to_list()))
    ms_models = models.filter("on_modelscope").with_columns(pl.Series("repo", np.array(ms_accounts)[models.filter("on_modelscope")["org_index"].to_numpy()]))
    model_info.update(dict(zip((ms_models["repo"] + "/" + ms_models["model_name"]).to_list(),
                               ms_models.select(pl.struct(modality="modality", is_large_model="is_large_model")).to_series().to_list())))
    dataset_info = {}
    ms_datasets = datasets.filter((pl.col("platform_pick") > 0.85) & (pl.col("org_index") % 2 == 0))
    ms_datasets = ms_datasets.with_columns(pl.Series("repo", np.array(ms_accounts)[ms_datasets["org_index"].to_numpy()]))
    odl = datasets.filter(pl.col("platform_pick") < 0.04).with_columns(pl.lit(names[min(1, orgs - 1)]).alias("org"), pl.lit("SampleDataLab").alias("repo"))
    baai = datasets.filter(pl.col("platform_pick").is_between(0.04, 0.08)).with_columns(pl.lit(names[0]).alias("org"), pl.lit("BAAI").alias("repo"))
    for frame in (datasets, ms_datasets, odl, baai):
        dataset_info.update(dict(zip((frame["repo"] + "/" + frame["dataset_name"]).to_list(),
                                     frame.select(pl.struct(modality="modality", lifecycle="lifecycle", is_valid="is_valid")).to_series().to_list())))
    model_info.update(scorecards_sample.lookalike_labels(models))
    (out / "config" / "model-info.json").write_text(json.dumps(model_info), encoding="utf-8")
    (out / "config" / "dataset-info.json").write_text(json.dumps(dataset_info), encoding="utf-8")
    extra = pl.DataFrame({"org": [names[-1], names[-1]], "repo": ["website", "website"], "dataset_name": ["Curated corpus A", "Curated speech set"],
                          "link": ["https://example.org/a", "https://example.org/b"], "modality": ["Language", "Speech"], "lifecycle": ["Pre-training", "Fine-tuning"]})
    (out / "data").mkdir(exist_ok=True)
    extra.write_ndjson(out / "data" / "other-source-datasets.jsonl")
    (out / "README.md").write_text(SAMPLE_NOTE, encoding="utf-8")

    write_sample_leaderboard(out, _dates(months, first), hf_accounts, seed)
    for index, day in enumerate(_dates(months, first)):
        folder = out / "data" / day.isoformat()
        growth = 1.0 + 0.15 * index
        monthly = lambda frame: np.floor(frame["base_downloads"].to_numpy() * growth * rng.uniform(0.6, 1.4, frame.height)).astype(np.int64)
        cumulative = lambda frame: np.floor(frame["base_downloads"].to_numpy() * (index + 1) * growth * 1.3).astype(np.int64)
        common = {"date_crawl": day.isoformat(), "img_path": None, "error_msg": None, "metadata": {}}
        _write(folder / "HuggingFace" / "raw-models-info.jsonl", scorecards_sample.hub_model_records(models.select(
            "repo", "model_name", pl.Series("downloads_last_month", monthly(models)),
            pl.Series("likes", rng.poisson(12, models.height)), pl.Series("community", rng.poisson(2, models.height)),
            pl.Series("descendants", rng.poisson(3, models.height)), (pl.lit("https://huggingface.co/") + pl.col("repo") + "/" + pl.col("model_name")).alias("link")), models, day, index == 0), common)
        _write(folder / "ModelScope" / "raw-models-info.jsonl", ms_models.select(
            "repo", "model_name", pl.Series("total_downloads", cumulative(ms_models)), pl.Series("likes", rng.poisson(2, ms_models.height)),
            pl.Series("community", rng.poisson(1, ms_models.height)), (pl.lit("https://modelscope.cn/models/") + pl.col("repo") + "/" + pl.col("model_name")).alias("link")), common)
        if index == 0:
            continue  # like the published archive, the first month crawled models only
        _write(folder / "HuggingFace" / "raw-datasets-info.jsonl", datasets.select(
            "repo", "dataset_name", pl.Series("downloads_last_month", monthly(datasets)), pl.lit(-1).alias("likes"), pl.lit(-1).alias("community"),
            pl.Series("dataset_usage", rng.poisson(1, datasets.height)), (pl.lit("https://huggingface.co/datasets/") + pl.col("repo") + "/" + pl.col("dataset_name")).alias("link")), common)
        _write(folder / "ModelScope" / "raw-datasets-info.jsonl", ms_datasets.select(
            "repo", "dataset_name", pl.Series("total_downloads", cumulative(ms_datasets)), pl.lit(-1).alias("likes"), pl.lit(-1).alias("community"),
            (pl.lit("https://modelscope.cn/datasets/") + pl.col("repo") + "/" + pl.col("dataset_name")).alias("link")), common)
        for platform, frame in (("OpenDataLab", odl), ("BAAIData", baai)):
            _write(folder / platform / "raw-datasets-info.jsonl", frame.select(
                "org", "repo", "dataset_name", pl.Series("total_downloads", cumulative(frame)), pl.lit(-1).alias("likes"),
                pl.lit("https://example.org/").alias("link")), {"date_crawl": day.isoformat()})
        if index >= curated_from:
            _curated(folder / "infra-summary.csv", names, INFRA, rng)
            _curated(folder / "eval-summary.csv", names, EVAL, rng)
    return out


def _write(path: Path, frame: pl.DataFrame, constants: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = frame.with_columns(pl.lit(v).alias(k) if not isinstance(v, dict) else pl.lit(None, dtype=pl.Struct({})).alias(k) for k, v in constants.items())
    frame.write_ndjson(path)


def _curated(path: Path, orgs: list[str], columns: list[str], rng: np.random.Generator) -> None:
    values = {c: rng.integers(0, 2 if c.startswith(("support_", "deep_")) else 25, len(orgs)) for c in columns}
    pl.DataFrame({"org": orgs, **values}).write_csv(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--orgs", type=int, default=6)
    parser.add_argument("--models", type=int, default=40, help="model repositories per organisation")
    parser.add_argument("--datasets", type=int, default=15, help="dataset repositories per organisation")
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate_archive(Path(args.out), args.orgs, args.models, args.datasets, args.months, args.seed)


if __name__ == "__main__":
    main()

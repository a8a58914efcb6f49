"""The generated sample's Open LLM Leaderboard: a small synthetic contents table per month (official column names, Parquet).

The sample organisations' Hugging Face accounts publish base models; invented community authors fine-tune,
chat-tune and merge them, some better than their base. Each month adds rows, as the real leaderboard grew.
"""

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

TYPES = ["🟢 pretrained", "🔶 fine-tuned on domain-specific datasets", "💬 chat models (RLHF, DPO, IFT, ...)", "🤝 base merges and moerges", "🟩 continuously pretrained"]
ARCHITECTURES = ["LlamaForCausalLM", "Qwen2ForCausalLM", "MistralForCausalLM", "Gemma2ForCausalLM", "PhiForCausalLM"]
BENCHMARKS = ["IFEval", "BBH", "MATH Lvl 5", "GPQA", "MUSR", "MMLU-PRO"]


def write_sample_leaderboard(out: Path, days: list[dt.date], hf_accounts: list[str], seed: int, bases_per_account: int = 3, derivatives_per_month: int = 40) -> None:
    rng = np.random.default_rng(seed + 12)
    n_bases = len(hf_accounts) * bases_per_account
    sizes = [1.0, 7.0, 70.0][:bases_per_account]
    bases = pl.DataFrame({
        "fullname": [f"{a}/base-{size:g}B" for a in hf_accounts for size in sizes],
        "Type": TYPES[0],
        "Architecture": rng.choice(ARCHITECTURES, n_bases),
        "Average ⬆️": np.round(rng.uniform(10, 35, n_bases), 2),
        "#Params (B)": sizes * len(hf_accounts),
        "Merged": False,
        "Base Model": "Removed",
        "Submission Date": (days[0] - dt.timedelta(days=30)).isoformat(),
    })
    pick = rng.integers(0, n_bases, derivatives_per_month * len(days))
    types = rng.choice(TYPES[1:], pick.size, p=[0.45, 0.25, 0.2, 0.1])
    derivatives = pl.DataFrame({
        "fullname": [f"community-{u:02d}/tune-{i:04d}" for i, u in enumerate(np.floor(rng.pareto(1.2, pick.size) * 3).astype(int) % 40)],
        "Type": types,
        "Architecture": bases["Architecture"].gather(pick),
        "Average ⬆️": np.round(np.clip(bases["Average ⬆️"].to_numpy()[pick] + rng.normal(3, 6, pick.size), 1, 90), 2),
        "#Params (B)": bases["#Params (B)"].to_numpy()[pick],
        "Merged": types == TYPES[3],
        "Base Model": bases["fullname"].gather(pick),
        "Submission Date": [(days[i // derivatives_per_month] - dt.timedelta(days=int(d))).isoformat() for i, d in enumerate(rng.integers(0, 28, pick.size))],
    })
    table = pl.concat([bases, derivatives]).with_columns(
        pl.lit("bfloat16").alias("Precision"),
        pl.col("fullname").hash(seed).cast(pl.String).alias("Model sha"),
        pl.lit("Original").alias("Weight type"),
        pl.lit("apache-2.0").alias("Hub License"),
        pl.Series("Hub ❤️", rng.poisson(4, bases.height + pick.size)),
        pl.lit(True).alias("Available on the hub"),
        pl.lit(False).alias("MoE"),
        pl.lit(False).alias("Flagged"),
        pl.col("fullname").str.starts_with("sample-org-").alias("Official Providers"),
        pl.col("Submission Date").alias("Upload To Hub Date"),
        pl.lit(0).alias("Generation"),
        *[(pl.col("Average ⬆️") * pl.lit(float(f))).round(2).clip(0, 100).alias(b) for b, f in zip(BENCHMARKS, [1.3, 1.1, 0.5, 0.4, 0.6, 1.1])],
    )
    for index, day in enumerate(days):
        # A month's snapshot holds the bases and every derivative submitted up to it.
        month_rows = table.head(bases.height + derivatives_per_month * (index + 1))
        folder = out / "data" / day.isoformat() / "OpenLLMLeaderboard"
        folder.mkdir(parents=True, exist_ok=True)
        month_rows.write_parquet(folder / "contents.parquet")

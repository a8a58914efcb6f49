"""Benchmark: `osir search` over a month of 1,000,000 model repositories (merged_model_repos in a DuckDB file).

Prints, per typical query, the rows found and the time of the search (parse, compile, one DuckDB statement that
counts every row found and returns the first 20), best of five runs on a warm file, plus the same search through
the whole ``osir search`` command in process (open the file read-only, search, print) once.

Run: ``.venv/bin/python bench/bench_search.py [--repos 1000000]``; about 10-20 s, most of it building the month.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402

from osir_assets.cli import main  # noqa: E402
from osir_assets.search.sql import search  # noqa: E402

MONTH = dt.date(2025, 3, 1)
QUERIES = [
    "llama",                                            # free text over every name
    "llama; qwen; mistral",                             # a union of three terms
    "@org:org-7 @modality:lang",                        # two filters, no free text
    "llama-[23]-(7|13|70)b",                            # an automatic regular expression
    "instruct @platform:modelscope; gguf @org:org-1",   # seed 004's shape: text and a filter, twice
]

# One month of synthetic repositories: 1,000 organisations, names mixing families, sizes and suffixes.
MONTH_SQL = """
CREATE TABLE merged_model_repos AS
SELECT $month::DATE AS month, 'org-' || (i % 1000) AS org,
       (['llama-2', 'llama-3', 'qwen2.5', 'mistral', 'gemma', 'phi-3', 'falcon', 'bert'])[1 + i % 8]
           || '-' || (['7b', '13b', '70b', '1.5b', '8b'])[1 + (i // 8) % 5]
           || (['', '-instruct', '-chat', '-gguf', '-awq', '-lora'])[1 + (i // 40) % 6] || '-' || i AS name,
       'account-' || (i % 1000) AS account,
       (['HuggingFace', 'ModelScope', 'OpenDataLab'])[1 + i % 3] AS platform,
       (['Language', 'Multimodal', 'Vision', 'Speech'])[1 + (i // 3) % 4] AS modality,
       (i * 7919) % 1000003 AS downloads_last_month, (i * 31) % 5000 AS likes, i % 97 AS community, i % 13 AS descendants,
       $month::DATE + 13 AS date_crawl, 1 + i % 2 AS platform_records
FROM range($repos) AS t(i)
"""


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="osir-bench-search-") as folder:
        db = Path(folder) / "osir.duckdb"
        started = time.perf_counter()
        with duckdb.connect(str(db)) as con:
            con.execute(MONTH_SQL, {"month": MONTH, "repos": args.repos})
        print(f"built a month of {args.repos:,} model repositories in {time.perf_counter() - started:.1f} s")
        print(f"{'query':<50} {'found':>9} {'search':>9} {'osir search':>12}")
        with duckdb.connect(str(db), read_only=True) as con:
            for query in QUERIES:
                timings = []
                for _ in range(5):
                    started = time.perf_counter()
                    found = search(con, query, "models")
                    timings.append(time.perf_counter() - started)
                command = _command_seconds(db, query)
                print(f"{query:<50} {found.count:>9,} {min(timings) * 1000:>6.1f} ms {command * 1000:>9.1f} ms")


def _command_seconds(db: Path, query: str) -> float:
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["search", query, "--table", "models", "--db", str(db)]) == 0
    return time.perf_counter() - started


if __name__ == "__main__":
    main_bench()

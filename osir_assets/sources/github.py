"""GitHub activity of the registered repositories: the snapshot shape (its file in an archive is read by
``sources/archive.py``).

One row per repository and month, whether collected live (``sources/live/github.py``) or read from an archive:

    ROOT/data/<YYYY-MM-DD>/GitHub/raw-repos-info.jsonl, one JSON object per line:
    {"org": "BAAI", "repo": "FlagOpen/FlagCX", "purpose": "infra", "stars": 1500, "forks": 120,
     "open_issues": 33, "active_contributors": 3, "releases": 2, "releases_in_month": 1, "date_crawl": "2025-02-14"}

``org``, ``repo`` ("owner/name"), ``purpose`` (model, infra or eval: the dimension the repository counts
towards) and ``active_contributors`` (people, bots excluded, who committed in the month) are required; the
other counters may be absent. The published OSIR-LMTS archive has no such file: its months then have no
GitHub rows, which is what the published method used (it had no GitHub indicators).
"""

from __future__ import annotations

import polars as pl

GITHUB_REPOS_SCHEMA: dict[str, pl.DataType] = {
    "snapshot_date": pl.Date,
    "org": pl.String,
    "repo": pl.String,
    "purpose": pl.String,
    "stars": pl.Int64,
    "forks": pl.Int64,
    "open_issues": pl.Int64,  # GitHub counts open pull requests in it
    "active_contributors": pl.Int64,
    "releases": pl.Int64,  # published releases, all time
    "releases_in_month": pl.Int64,
}


def empty_github_snapshot() -> pl.DataFrame:
    return pl.DataFrame(schema=GITHUB_REPOS_SCHEMA)

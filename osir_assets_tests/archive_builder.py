"""Small hand-made archives in the OSIR-LMTS layout, for tests whose expected values are worked out by hand.

    archive = ArchiveBuilder({"Alpha": {"HuggingFace": ["alpha"], "ModelScope": ["AlphaMS"]}})
    archive.model_label("alpha/m1", "Language")
    archive.hf_model("2024-12-14", "alpha", "m1", downloads=51)
    archive.curated("2024-12-14", "infra", {"Alpha": {"num_operators": 3}})
    archive.write(tmp_path / "archive")

Records are written the way the crawlers write them (raw-*-info.jsonl, one JSON object a line); a record's
``date_crawl`` is its folder's date unless given. Each call adds a line, so the order of calls is the file order.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

ACCOUNT_URL = {
    "HuggingFace": "https://huggingface.co/{}",
    "ModelScope": "https://modelscope.cn/organization/{}",
    "OpenDataLab": "https://opendatalab.com/?createdBy={}",
    "BAAI Data": "https://data.baai.ac.cn/dataset",
}


class ArchiveBuilder:
    def __init__(self, organisations: dict[str, dict[str, list[str]]], constants: dict[str, dict[str, float]] | None = None):
        """``organisations``: {org: {platform label: [account, ...]}}; ``constants``: {constant: {org: value}}
        (an unnamed organisation gets 0 operators and 1 adapted chip, the published defaults)."""
        self.organisations = organisations
        self.constants = constants or {}
        self.model_info: dict[str, dict] = {}
        self.dataset_info: dict[str, dict] = {}
        self.files: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        self.curated_tables: dict[tuple[str, str], dict[str, dict[str, float]]] = {}
        self.folders: set[str] = set()
        self.other_datasets: list[dict] = []

    def folder(self, day: str) -> ArchiveBuilder:
        """A dated folder even without records (a crawl of nothing still fixes the month's snapshot date)."""
        self.folders.add(day)
        return self

    def model_label(self, key: str, modality: str | None, is_large_model: bool = True) -> ArchiveBuilder:
        self.model_info[key] = {"modality": modality, "is_large_model": is_large_model}
        return self

    def dataset_label(self, key: str, modality: str | None, lifecycle: str | None, is_valid: bool = True) -> ArchiveBuilder:
        self.dataset_info[key] = {"modality": modality, "lifecycle": lifecycle, "is_valid": is_valid}
        return self

    def _add(self, day: str, platform: str, kind: str, record: dict, date_crawl: str | None) -> ArchiveBuilder:
        self.folders.add(day)
        self.files[(day, platform, kind)].append({**record, "date_crawl": date_crawl or day})
        return self

    def hf_model(self, day, repo, name, downloads, likes=0, community=0, descendants=0, date_crawl=None):
        return self._add(day, "HuggingFace", "models", {"repo": repo, "model_name": name, "downloads_last_month": downloads, "likes": likes,
                                                        "community": community, "descendants": descendants, "link": f"https://huggingface.co/{repo}/{name}"}, date_crawl)

    def hf_dataset(self, day, repo, name, downloads, dataset_usage=0, likes=-1, community=-1, date_crawl=None):
        return self._add(day, "HuggingFace", "datasets", {"repo": repo, "dataset_name": name, "downloads_last_month": downloads, "likes": likes,
                                                          "community": community, "dataset_usage": dataset_usage}, date_crawl)

    def ms_model(self, day, repo, name, total, likes=0, community=0, date_crawl=None):
        return self._add(day, "ModelScope", "models", {"repo": repo, "model_name": name, "total_downloads": total, "likes": likes, "community": community}, date_crawl)

    def ms_dataset(self, day, repo, name, total, date_crawl=None):
        return self._add(day, "ModelScope", "datasets", {"repo": repo, "dataset_name": name, "total_downloads": total, "likes": -1, "community": -1}, date_crawl)

    def odl_dataset(self, day, org, repo, name, total, date_crawl=None):
        return self._add(day, "OpenDataLab", "datasets", {"org": org, "repo": repo, "dataset_name": name, "total_downloads": total, "likes": -1}, date_crawl)

    def other_dataset(self, org: str, name: str, modality: str | None, lifecycle: str | None) -> ArchiveBuilder:
        """A row of ``data/other-source-datasets.jsonl``: a curated dataset outside the platforms, counted every month."""
        self.other_datasets.append({"org": org, "repo": "website", "dataset_name": name, "link": "https://example.org/", "modality": modality, "lifecycle": lifecycle})
        return self

    def curated(self, day: str, dimension: str, rows: dict[str, dict[str, float]]) -> ArchiveBuilder:
        """The hand-curated ``{infra,eval}-summary.csv`` of a folder: {org: {column: value}}, in row order."""
        self.folders.add(day)
        self.curated_tables[(day, dimension)] = rows
        return self

    def write(self, root: Path) -> Path:
        root = Path(root)
        (root / "config").mkdir(parents=True, exist_ok=True)
        links = {org: {label: [ACCOUNT_URL[label].format(a) for a in accounts] for label, accounts in platforms.items()}
                 for org, platforms in self.organisations.items()}
        constants = {"operators": {"default": 0, "values": self.constants.get("operators", {})},
                     "num_adapted_chips": {"default": 1, "values": self.constants.get("num_adapted_chips", {})}}
        for name, value in (("org-links.json", links), ("model-info.json", self.model_info), ("dataset-info.json", self.dataset_info),
                            ("osir-constants.yaml", {"constants": constants})):
            (root / "config" / name).write_text(json.dumps(value, indent=1), encoding="utf-8")
        for day in self.folders:
            (root / "data" / day).mkdir(parents=True, exist_ok=True)
        if self.other_datasets:
            (root / "data").mkdir(parents=True, exist_ok=True)
            (root / "data" / "other-source-datasets.jsonl").write_text("".join(json.dumps(r) + "\n" for r in self.other_datasets), encoding="utf-8")
        for (day, platform, kind), records in self.files.items():
            path = root / "data" / day / platform / f"raw-{kind}-info.jsonl"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        for (day, dimension), rows in self.curated_tables.items():
            columns = list(next(iter(rows.values())))
            with open(root / "data" / day / f"{dimension}-summary.csv", "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(["org", *columns])
                writer.writerows([org, *(values[c] for c in columns)] for org, values in rows.items())
        return root

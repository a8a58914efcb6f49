"""Live collectors: read a month's snapshot straight from the platforms' APIs.

Each resource returns ``(frame, stats)``: a frame in ``SNAPSHOT_SCHEMA`` (one row per repository, in listing
order) and the collection's counters, with every response body under ``stats["raw_responses"]``
(``pack_raw_responses`` makes a gzipped JSONL of them; ``metadata_from_stats`` drops them for metadata).
A collection returns everything or raises ``CollectionError``: nothing partial.
"""

from osir_assets.sources.live.baai_data import BaaiDataCollector
from osir_assets.sources.live.github import GitHubCollector
from osir_assets.sources.live.http import CollectionError, HttpPolicy, Progress, RawResponse, metadata_from_stats, pack_raw_responses
from osir_assets.sources.live.huggingface import HuggingFaceCollector
from osir_assets.sources.live.labels import LabelResult, apply_labels, load_label_rules
from osir_assets.sources.live.modelscope import ModelScopeCollector
from osir_assets.sources.live.opendatalab import OpenDataLabCollector

__all__ = [
    "BaaiDataCollector", "CollectionError", "GitHubCollector", "HttpPolicy", "HuggingFaceCollector", "LabelResult",
    "ModelScopeCollector", "OpenDataLabCollector", "Progress", "RawResponse", "apply_labels", "load_label_rules",
    "metadata_from_stats", "pack_raw_responses",
]  # fmt: skip

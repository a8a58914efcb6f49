"""A Hugging Face model as the Hub's API describes it: the listing fields OSIR keeps and the few per-model requests.

Shared by the live collector (``sources/live/huggingface.py``, a month's listing) and the on-demand scorecard of
a model OSIR has not collected (``scorecards/live_card.py``): both turn a ``huggingface_hub.ModelInfo`` into the
same ``details`` fields, and both ask the same three questions per model that a listing cannot answer:

* ``GET /api/models/{id}/discussions?p=0&status=all``: ``count`` (discussions + pull requests, open and closed)
  and, from the first page only, the date of the newest thread;
* ``GET /api/models/{id}/discussions?p=0&status=all&type=pull_request``: the pull requests' ``count``;
* ``GET /api/models/{id}/tree/main?recursive=true&expand=true``: the first page of files with the Hub's own scans
  (``securityFileStatus``: antivirus and pickle imports).

How a request is sent (pacing, retries, what an HTTP error means) is the caller's: ``fetch(path, params)``
returns the JSON body, or None when the Hub says the thing is not there (discussions disabled, no tree).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

MODEL_EXPAND = [
    "author", "baseModels", "cardData", "childrenModelCount", "config", "createdAt", "downloads", "downloadsAllTime",
    "gated", "lastModified", "library_name", "likes", "model-index", "pipeline_tag", "safetensors", "siblings", "spaces",
    "tags", "transformersInfo",
]  # fmt: skip
# Card fields that are long and say nothing the labels use; the scorecard keeps only whether they are there.
BULKY_CARD_FIELDS = {"model-index", "model_index", "widget", "eval_results", "dataset_info", "configs"}

Fetch = Callable[[str, dict], Any]


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def card_of(info: Any) -> dict:
    card = info.card_data.to_dict() if info.card_data is not None else {}
    return {k: v for k, v in card.items() if k not in BULKY_CARD_FIELDS}


def license_of(card: dict, tags: list[str] | None) -> Any:
    from_tags = [t.split(":", 1)[1] for t in tags or [] if t.startswith("license:")]
    return card.get("license") or (from_tags[0] if from_tags else None)


def model_details(info: Any) -> dict[str, Any]:
    """The ``details`` of one model (a listing item or a ``model_info`` answer)."""
    card, config = card_of(info), info.config or {}
    full_card = info.card_data.to_dict() if info.card_data is not None else {}
    safetensors = info.safetensors
    return {
        "pipeline_tag": info.pipeline_tag,
        "tags": info.tags,
        "library_name": info.library_name,
        "parameters": safetensors.total if safetensors else None,
        "parameters_by_dtype": dict(safetensors.parameters) if safetensors else None,
        "gated": info.gated,
        "base_models": info.base_models,
        "created_at": iso(info.created_at),
        "last_modified": iso(info.last_modified),
        "license": license_of(card, info.tags),
        "siblings": [s.rfilename for s in info.siblings or []],
        "architectures": config.get("architectures"),
        "model_type": config.get("model_type"),
        "auto_model": (info.transformers_info or {}).get("auto_model"),
        "card_data": card,
        # Listing fields the scorecard reads; None (left out) where the answer did not carry them.
        "spaces_count": len(info.spaces) if info.spaces is not None else None,
        "has_eval_results": bool(info.model_index or full_card.get("model-index") or full_card.get("eval_results")),
        "has_widget": bool(full_card.get("widget") or getattr(info, "widget_data", None)),
    }


def card_extras(fetch: Fetch, repo_id: str) -> dict[str, Any]:
    """Discussions, pull requests, the newest thread and the file scans of one model: three requests."""
    threads = fetch(f"/api/models/{repo_id}/discussions", {"p": 0, "status": "all"})
    pulls = fetch(f"/api/models/{repo_id}/discussions", {"p": 0, "status": "all", "type": "pull_request"}) if threads is not None else None
    tree = fetch(f"/api/models/{repo_id}/tree/main", {"recursive": "true", "expand": "true"})
    extras: dict[str, Any] = {}
    if threads is not None:
        total, pull_requests = int(threads.get("count", 0)), int((pulls or {}).get("count", 0))
        dates = [d.get("createdAt") for d in threads.get("discussions") or [] if d.get("createdAt")]
        extras |= {"discussions": total - pull_requests, "pull_requests": pull_requests, "last_thread_at": max(dates) if dates else None}
    if isinstance(tree, list):
        extras["scan"] = scan_summary(tree)
    return extras


def scan_summary(entries: list[dict]) -> dict[str, Any]:
    """The Hub's per-file scans of a tree page: which pickle imports it rated dangerous, which files antivirus flagged."""
    scanned, dangerous, infected = 0, [], []
    for entry in entries:
        status = entry.get("securityFileStatus")
        if not status:
            continue
        scanned += 1
        if (status.get("avScan") or {}).get("status") not in (None, "safe", "unscanned"):
            infected.append(entry.get("path"))
        imports = (status.get("pickleImportScan") or {}).get("pickleImports") or []
        dangerous += [f"{i.get('module')}.{i.get('name')}" for i in imports if i.get("safety") == "dangerous"]
    return {"files_scanned": scanned, "dangerous_imports": sorted(set(dangerous)), "infected_files": sorted(infected)}

"""Fake Hugging Face Hub: model/dataset listings with ``expand`` and Link pagination, discussions, trained-on filters,
one model's info and its file tree with the Hub's security scans.

Speaks the shapes ``huggingface_hub.HfApi`` reads: ``GET /api/models?author=A&expand=...`` returns a JSON list
of ``{"_id", "id", <expanded fields>}`` and a ``Link: <...&cursor=N>; rel="next"`` header while more pages
remain; ``GET /api/{models,datasets}/{ns}/{name}/discussions?p=0`` returns ``{"discussions", "count",
"start", "numItemsPerPage"}`` (``type=pull_request`` counts pull requests only; the page lists the newest
threads with ``createdAt`` and ``isPullRequest``); ``filter=dataset:{id}`` lists the models trained on a dataset;
``GET /api/models/{ns}/{name}?expand=...`` is one model; ``GET /api/models/{ns}/{name}/tree/main?expand=true``
lists its files, each with ``securityFileStatus`` where ``HubData.scans`` gives one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from osir_assets_tests.fakes.server import FakeRequest, FakeResponse, Handler, link_header


@dataclass
class HubData:
    models: dict[str, list[dict]] = field(default_factory=dict)  # author -> items (every field)
    datasets: dict[str, list[dict]] = field(default_factory=dict)
    discussions: dict[str, int] = field(default_factory=dict)  # "model:ns/name" -> count of open ones
    closed_discussions: dict[str, int] = field(default_factory=dict)
    discussions_disabled: set[str] = field(default_factory=set)
    trained_on: dict[str, list[str]] = field(default_factory=dict)  # dataset id -> model ids
    pull_requests: dict[str, int] = field(default_factory=dict)  # "model:ns/name" -> pull requests among the threads (open and closed)
    newest_thread: dict[str, str] = field(default_factory=dict)  # "model:ns/name" -> createdAt of the newest thread
    scans: dict[str, dict[str, dict]] = field(default_factory=dict)  # model id -> file path -> securityFileStatus
    page_size: int = 2


def hf_model(repo_id: str, **fields) -> dict:
    """A model as ``/api/models?expand=...`` describes it; keyword arguments override any field."""
    author = repo_id.split("/")[0]
    item = {
        "_id": f"id-{repo_id}",
        "id": repo_id,
        "author": author,
        "downloads": 100,
        "downloadsAllTime": 5000,
        "likes": 3,
        "pipeline_tag": "text-generation",
        "library_name": "transformers",
        "tags": ["transformers", "safetensors", "text-generation", "license:apache-2.0"],
        "createdAt": "2024-05-01T10:00:00.000Z",
        "lastModified": "2024-06-01T10:00:00.000Z",
        "gated": False,
        "private": False,
        "childrenModelCount": 2,
        "baseModels": None,
        "safetensors": {"parameters": {"BF16": 7_000_000_000}, "total": 7_000_000_000},
        "config": {"architectures": ["LlamaForCausalLM"], "model_type": "llama"},
        "transformersInfo": {"auto_model": "AutoModelForCausalLM", "pipeline_tag": "text-generation", "processor": "AutoTokenizer"},
        "cardData": {"license": "apache-2.0", "language": ["en", "zh"], "widget": [{"text": "hi"}]},
        "siblings": [{"rfilename": "config.json"}, {"rfilename": "model.safetensors"}],
        "spaces": [],
    }
    item.update(fields)
    return item


def hf_dataset(repo_id: str, **fields) -> dict:
    item = {
        "_id": f"id-{repo_id}",
        "id": repo_id,
        "author": repo_id.split("/")[0],
        "downloads": 40,
        "downloadsAllTime": 900,
        "likes": 1,
        "tags": ["task_categories:text-generation", "language:en", "size_categories:1M<n<10M"],
        "createdAt": "2024-05-01T10:00:00.000Z",
        "lastModified": "2024-06-01T10:00:00.000Z",
        "gated": False,
        "private": False,
        "cardData": {"license": "cc-by-4.0", "task_categories": ["text-generation"]},
        "siblings": [{"rfilename": "README.md"}, {"rfilename": "data/train.parquet"}],
    }
    item.update(fields)
    return item


def hf_scan(dangerous: tuple[str, ...] = (), infected: bool = False) -> dict:
    """A file's ``securityFileStatus`` as the tree listing reports it; ``dangerous`` names pickle imports like "os.system"."""
    imports = [{"module": "collections", "name": "OrderedDict", "safety": "innocuous"}]
    imports += [{"module": d.rsplit(".", 1)[0], "name": d.rsplit(".", 1)[1], "safety": "dangerous"} for d in dangerous]
    unsafe = "unsafe" if dangerous or infected else "safe"
    return {
        "status": unsafe,
        "avScan": {"status": "infected" if infected else "safe", "virusNames": ["Eicar-Test-Signature"] if infected else None},
        "pickleImportScan": {"status": "dangerous" if dangerous else "safe", "pickleImports": imports},
    }


def _project(item: dict, expand: list[str]) -> dict:
    """What the Hub returns for ``expand``: the ids plus the asked-for properties."""
    if not expand:
        return {k: item[k] for k in ("_id", "id", "likes", "downloads", "tags", "pipeline_tag", "library_name", "createdAt") if k in item}
    return {"_id": item["_id"], "id": item["id"], **{k: item[k] for k in expand if k in item}}


def hub_handler(data: HubData) -> Handler:
    def listing(request: FakeRequest, items: list[dict]) -> FakeResponse:
        offset = int(request.arg("cursor", "0"))
        page = items[offset : offset + data.page_size]
        body = [_project(item, request.query.get("expand", [])) for item in page]
        headers = {}
        if offset + data.page_size < len(items):
            query = {k: v for k, v in request.query.items() if k != "cursor"}
            query["cursor"] = [str(offset + data.page_size)]
            headers = link_header(f"{request.base_url}{request.path}?{urlencode(query, doseq=True)}")
        return FakeResponse(200, body, headers)

    def handle(request: FakeRequest) -> FakeResponse:
        parts = request.path.strip("/").split("/")
        if request.path == "/api/models":
            filters = request.query.get("filter", [])
            trained = [f.split(":", 1)[1] for f in filters if f.startswith("dataset:")]
            if trained:
                by_id = {m["id"]: m for ms in data.models.values() for m in ms}
                ids = data.trained_on.get(trained[0], [])
                return listing(request, [by_id.get(i) or hf_model(i) for i in ids])
            return listing(request, data.models.get(request.arg("author", ""), []))
        if request.path == "/api/datasets":
            return listing(request, data.datasets.get(request.arg("author", ""), []))
        if len(parts) == 5 and parts[0] == "api" and parts[4] == "discussions":
            key = f"{parts[1][:-1]}:{parts[2]}/{parts[3]}"
            if key in data.discussions_disabled:
                return FakeResponse(403, {"error": "Discussions are disabled for this repo"})
            status = request.arg("status", "all")
            count = data.discussions.get(key, 0) + (data.closed_discussions.get(key, 0) if status == "all" else 0)
            if request.arg("type") == "pull_request":
                count = data.pull_requests.get(key, 0)
            newest = [{"num": count, "title": "newest", "status": "open", "isPullRequest": False, "createdAt": data.newest_thread[key]}] if key in data.newest_thread and count else []
            return FakeResponse(200, {"discussions": newest, "count": count, "start": 0, "numItemsPerPage": 50})
        by_id = {m["id"]: m for ms in data.models.values() for m in ms}
        if parts[:2] == ["api", "models"] and len(parts) == 4 and f"{parts[2]}/{parts[3]}" in by_id:
            return FakeResponse(200, _project(by_id[f"{parts[2]}/{parts[3]}"], request.query.get("expand", [])))
        if parts[:2] == ["api", "models"] and parts[4:6] == ["tree", "main"] and f"{parts[2]}/{parts[3]}" in by_id:
            model_id = f"{parts[2]}/{parts[3]}"
            files = [s["rfilename"] for s in by_id[model_id].get("siblings") or []]
            scans = data.scans.get(model_id, {})
            entries = [{"type": "file", "oid": "0" * 40, "size": 1, "path": f, **({"securityFileStatus": scans[f]} if f in scans else {})} for f in files]
            return FakeResponse(200, entries)
        return FakeResponse(404, {"error": "Not found"})

    return handle

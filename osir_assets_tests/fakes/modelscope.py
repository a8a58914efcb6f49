"""Fake ModelScope: ``PUT /api/v1/models/`` (PascalCase envelope) and ``GET /openapi/v1/datasets`` (snake_case)."""

from __future__ import annotations

from dataclasses import dataclass, field

from osir_assets_tests.fakes.server import FakeRequest, FakeResponse, Handler


@dataclass
class ModelScopeData:
    models: dict[str, list[dict]] = field(default_factory=dict)  # namespace -> items
    datasets: dict[str, list[dict]] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)  # namespaces answered with 404


def ms_model(namespace: str, name: str, **fields) -> dict:
    item = {
        "Name": name,
        "Path": namespace,
        "ChineseName": name,
        "Downloads": 364,
        "Stars": 2,
        "Tasks": [{"Name": "text-generation"}],
        "Tags": ["LLM"],
        "License": "Apache License 2.0",
        "Libraries": ["pytorch", "transformers"],
        "CreatedTime": 1714557600,
        "LastUpdatedTime": 1717236000,
    }
    item.update(fields)
    return item


def ms_dataset(namespace: str, name: str, **fields) -> dict:
    item = {"id": f"{namespace}/{name}", "display_name": name, "downloads": 12, "likes": 0, "tags": ["text"], "license": "cc-by-4.0", "created_at": "2024-05-01T10:00:00Z", "last_modified": "2024-06-01T10:00:00Z"}
    item.update(fields)
    return item


def modelscope_handler(data: ModelScopeData) -> Handler:
    def handle(request: FakeRequest) -> FakeResponse:
        if request.method == "PUT" and request.path.rstrip("/") == "/api/v1/models":
            query = request.json()
            namespace, number, size = query["Path"], int(query["PageNumber"]), int(query["PageSize"])
            if namespace in data.unknown:
                return FakeResponse(404, {"Code": 10010205001, "Message": "namespace not found", "Success": False})
            items = data.models.get(namespace, [])
            page = items[(number - 1) * size : number * size]
            return FakeResponse(200, {"Code": 200, "Data": {"Model": {"Models": page, "TotalCount": len(items)}}, "Message": "success", "RequestId": "r", "Success": True})
        if request.method == "GET" and request.path == "/openapi/v1/datasets":
            namespace = request.arg("author", "")
            number, size = int(request.arg("page_number", "1")), int(request.arg("page_size", "10"))
            if namespace in data.unknown:
                return FakeResponse(404, {"success": False, "message": "author not found"})
            items = data.datasets.get(namespace, [])
            page = items[(number - 1) * size : number * size]
            return FakeResponse(200, {"success": True, "data": {"datasets": page, "total_count": len(items), "page_number": number, "page_size": size}, "request_id": "r"})
        return FakeResponse(404, {"success": False, "message": "no such route"})

    return handle

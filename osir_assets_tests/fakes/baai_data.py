"""Fake BAAI Data: ``POST /api/datahub/search/v1/getAllDataset`` with ``{limit, offset, orderBy}``."""

from __future__ import annotations

from osir_assets_tests.fakes.server import FakeRequest, FakeResponse, Handler


def baai_dataset(uri_name: str, downloads: int | str = 100, **fields) -> dict:
    item = {"id": str(abs(hash(uri_name)) % 10**12), "uriName": uri_name, "datasetName": uri_name, "downloadNumb": downloads,
            "subscribedNumb": 5, "viewNumb": 1000, "tagList": ["Language"], "updateTime": "2024-06-01 10:00:00"}  # fmt: skip
    item.update(fields)
    return item


def baai_handler(catalogue: list[dict]) -> Handler:
    def handle(request: FakeRequest) -> FakeResponse:
        if request.method != "POST" or request.path != "/api/datahub/search/v1/getAllDataset":
            return FakeResponse(404, {"code": 404, "msg": "not found"})
        query = request.json()
        offset, limit = int(query["offset"]), int(query["limit"])
        return FakeResponse(200, {"code": 200, "msg": "success", "data": {"total": len(catalogue), "list": catalogue[offset : offset + limit]}})

    return handle

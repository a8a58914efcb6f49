"""Fake OpenDataLab: ``GET /datasets/api/v3/datasets?createdBy=&pageNo=&pageSize=`` with a ``{code, msg, data}`` envelope."""

from __future__ import annotations

from osir_assets_tests.fakes.server import FakeRequest, FakeResponse, Handler


def odl_dataset(owner: str, name: str, created_by: str, downloads: int | str = 100, **fields) -> dict:
    item = {"id": abs(hash((owner, name))) % 100000, "name": name, "displayName": name, "ownerName": owner, "createdBy": int(created_by),
            "downloadCount": downloads, "likeCount": 4, "viewCount": 900, "tags": ["Autonomous Driving"],
            "mediaTypes": ["Image"], "taskTypes": ["Lane Detection"], "license": "CC BY 4.0", "updatedAt": "2024-06-01T10:00:00Z"}  # fmt: skip
    item.update(fields)
    return item


def opendatalab_handler(creators: dict[str, list[dict]]) -> Handler:
    def handle(request: FakeRequest) -> FakeResponse:
        if request.path != "/datasets/api/v3/datasets":
            return FakeResponse(404, {"code": 404, "msg": "not found"})
        items = creators.get(request.arg("createdBy", ""), [])
        number, size = int(request.arg("pageNo", "1")), int(request.arg("pageSize", "12"))
        page = items[(number - 1) * size : number * size]
        return FakeResponse(200, {"code": 0, "msg": "ok", "data": {"list": page, "total": len(items), "hasNext": number * size < len(items)}})

    return handle

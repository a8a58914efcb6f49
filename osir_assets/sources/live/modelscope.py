"""ModelScope collector: models and datasets of the registered namespaces, over httpx.

API shapes assumed (as the ``modelscope`` SDK's ``HubApi.list_models`` / ``list_datasets`` use them):

Models, one page::

    PUT /api/v1/models/        {"Path": "<namespace>", "PageNumber": 1, "PageSize": 100}
    -> {"Code": 200, "Success": true, "Message": "success",
        "Data": {"Model": {"Models": [{"Name": "...", "Path": "<namespace>", "ChineseName": "...",
                                        "Downloads": 364, "Stars": 0, "Tasks": [{"Name": "text-generation"}],
                                        "Tags": [...], "License": "...", "Libraries": [...],
                                        "CreatedTime": 1700000000, "LastUpdatedTime": 1700000000}, ...],
                           "TotalCount": 42}}}

Datasets, one page (the OpenAPI)::

    GET /openapi/v1/datasets?author=<namespace>&page_number=1&page_size=100
    -> {"success": true, "data": {"datasets": [{"id": "<namespace>/<name>", "display_name": "...",
                                               "downloads": 3, "likes": 0, "tags": [...], "license": "...",
                                               "created_at": "...", "last_modified": "..."}, ...],
                                  "total_count": 42, "page_number": 1, "page_size": 100}}

``Downloads``/``downloads`` are cumulative (``total_downloads``); ``Stars``/``likes`` become ``likes``. Pages
are read until ``TotalCount`` items are in or a page comes back empty. A namespace the platform does not
know (HTTP 404) is reported in ``stats["missing_accounts"]`` rather than failing the month; an envelope
saying ``Success: false`` fails it. The token (MODELSCOPE_TOKEN) travels as ``Authorization: Bearer``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Optional

import polars as pl
from pydantic import Field

from osir_assets.sources.live.base import LiveCollector, check_kind, details_json, snapshot_frame
from osir_assets.sources.live.http import CollectionError, PlatformSession, ProgressCallback, ordered_accounts

if TYPE_CHECKING:  # httpx is imported when collecting (http.py), not by every command
    import httpx

PLATFORM = "ModelScope"
PUBLIC_ENDPOINT = "https://modelscope.cn"
SITE = "https://modelscope.cn"


class ModelScopeCollector(LiveCollector):
    """Collect a month's ModelScope snapshot. Configure ``endpoint`` (MODELSCOPE_ENDPOINT) and ``token``."""

    token: Optional[str] = Field(default=None, repr=False, description="ModelScope access token (MODELSCOPE_TOKEN).")
    page_size: int = Field(default=100, description="Repositories per listing page.")

    def collect(
        self, accounts: pl.DataFrame, kind: str, snapshot_date: dt.date, progress: ProgressCallback | None = None
    ) -> tuple[pl.DataFrame, dict]:
        check_kind(kind, ("model", "dataset"), PLATFORM)
        owners = [row["account"] for row in ordered_accounts(accounts, PLATFORM)]
        session = PlatformSession(PLATFORM, self._policy(), kind=kind, secrets=[self.token], progress=progress, keep_raw=self.keep_raw)
        session.accounts_total = len(owners)
        headers = {"Accept": "application/json", "User-Agent": "osir-collector"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        missing: list[str] = []

        with session.httpx_client(self._base_url(PUBLIC_ENDPOINT), headers) as client:
            listings = session.run_all(
                lambda owner: self._pages(session, client, kind, owner, missing),
                owners,
                on_result=lambda owner, items: session.report("listing", accounts_done=1, repos_seen=len(items)),
            )
        to_row = _model_row if kind == "model" else _dataset_row
        frame = snapshot_frame([to_row(item) for items in listings for item in items], PLATFORM, kind, snapshot_date)
        session.report("done")
        return frame, session.stats(endpoint=session.redact.text(self._base_url(PUBLIC_ENDPOINT)), missing_accounts=sorted(missing))

    def _pages(self, session: PlatformSession, client: httpx.Client, kind: str, owner: str, missing: list[str]) -> list[dict]:
        items: list[dict] = []
        for page in range(1, 100_000):
            if kind == "model":
                response = client.put("/api/v1/models/", json={"Path": owner, "PageNumber": page, "PageSize": self.page_size})
            else:
                response = client.get("/openapi/v1/datasets", params={"author": owner, "page_number": page, "page_size": self.page_size})
            envelope = _envelope(session, response, owner, missing)
            if envelope is None:
                return []
            batch, total = _page(kind, envelope, response.status_code)
            items.extend(batch)
            if not batch or len(items) >= total:
                return items
        return items


def _envelope(session: PlatformSession, response: httpx.Response, owner: str, missing: list[str]) -> dict | None:
    """The JSON envelope of a 2xx; None for an unknown namespace; a CollectionError for anything else."""
    if response.status_code == 404:
        missing.append(owner)
        return None
    if response.status_code >= 400:
        path = f"{response.request.method} {session.redact.path(str(response.request.url))}"
        raise CollectionError(PLATFORM, path, f"HTTP {response.status_code}", response.status_code)
    return response.json()


def _page(kind: str, envelope: dict, status: int) -> tuple[list[dict], int]:
    """One page's items and the listing's total count; a CollectionError where the envelope reports a failure."""
    # Models come from the hub API the SDK uses and datasets from the OpenAPI: each has its own envelope.
    if kind == "model":
        if not envelope.get("Success", False) or envelope.get("Code", 200) != 200:
            raise CollectionError(PLATFORM, "PUT /api/v1/models/", f"envelope says: {envelope.get('Message') or envelope.get('Code')}", status)
        body = (envelope.get("Data") or {}).get("Model") or {}
        return body.get("Models") or [], int(body.get("TotalCount") or 0)
    if envelope.get("success") is not True:
        raise CollectionError(PLATFORM, "GET /openapi/v1/datasets", f"envelope says: {envelope.get('message') or 'success=false'}", status)
    body = envelope.get("data") or {}
    return body.get("datasets") or [], int(body.get("total_count") or 0)


def _iso_from_epoch(value: Any) -> str | None:
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.timezone.utc).isoformat() if value else None
    except (TypeError, ValueError):
        return str(value)


def _model_row(item: dict) -> dict[str, Any]:
    namespace, name = item.get("Path"), item.get("Name")
    tasks = [t.get("Name") if isinstance(t, dict) else t for t in item.get("Tasks") or []]
    details = {
        "chinese_name": item.get("ChineseName"),
        "pipeline_tag": tasks[0] if tasks else None,
        "tasks": tasks,
        "tags": item.get("Tags"),
        "library_name": (item.get("Libraries") or [None])[0],
        "libraries": item.get("Libraries"),
        "license": item.get("License"),
        "created_at": _iso_from_epoch(item.get("CreatedTime")),
        "last_modified": _iso_from_epoch(item.get("LastUpdatedTime")),
    }
    return {
        "account": namespace,
        "name": name,
        "org": None,
        "link": f"{SITE}/models/{namespace}/{name}",
        "downloads_last_month": None,
        "total_downloads": item.get("Downloads"),
        "likes": item.get("Stars"),
        "community": None,
        "descendants": None,
        "dataset_usage": None,
        "details": details_json(details),
    }


def _dataset_row(item: dict) -> dict[str, Any]:
    namespace, _, name = str(item.get("id") or "").partition("/")
    details = {
        "display_name": item.get("display_name"),
        "tags": item.get("tags"),
        "task_categories": item.get("task_categories"),
        "license": item.get("license"),
        "created_at": item.get("created_at"),
        "last_modified": item.get("last_modified"),
    }
    return {
        "account": namespace,
        "name": name or item.get("name"),
        "org": None,
        "link": f"{SITE}/datasets/{item.get('id')}",
        "downloads_last_month": None,
        "total_downloads": item.get("downloads"),
        "likes": item.get("likes"),
        "community": None,
        "descendants": None,
        "dataset_usage": None,
        "details": details_json(details),
    }

"""BAAI Data (data.baai.ac.cn) collector: the platform's whole dataset catalogue, over httpx.

The platform hosts one publisher, so the registry has a single account (``dataset``, from the catalogue URL
``https://data.baai.ac.cn/dataset``). The JSON endpoint behind the catalogue page, as assumed here::

    POST /api/datahub/search/v1/getAllDataset
         {"limit": 100, "offset": 0, "datasetName": "", "startTime": null, "endTime": null, "orderBy": "5"}
    -> {"code": 200, "msg": "success",
        "data": {"total": 82, "list": [{"id": "11095568931627092", "uriName": "Objects365_2020",
                                          "datasetName": "Objects365", "downloadNumb": 78631,
                                          "subscribedNumb": 12, "viewNumb": 301234, "tagList": [...],
                                          "updateTime": "2024-06-01 10:00:00"}, ...]}}

``orderBy`` "5" is the catalogue's download order. ``downloadNumb`` is cumulative (``total_downloads``). The
platform has no likes: ``likes`` stays null and the subscription count is kept in ``details``. Datasets are
keyed ``"<org>/<uriName>"`` in the labels and the archive, so ``account`` is the registry's organisation
of the account (``BAAI``) and ``link`` the dataset's detail page.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import polars as pl
from pydantic import Field

from osir_assets.sources.live.base import ROW_SCHEMA, LiveCollector, check_kind, details_json, parse_count, read_listing, snapshot_frame
from osir_assets.sources.live.http import PlatformSession, ProgressCallback, ordered_accounts

if TYPE_CHECKING:  # httpx is imported when collecting (http.py), not by every command
    import httpx

PLATFORM = "BAAIData"
PUBLIC_ENDPOINT = "https://data.baai.ac.cn"
SITE = "https://data.baai.ac.cn"
LISTING_PATH = "/api/datahub/search/v1/getAllDataset"
DOWNLOAD_ORDER = "5"


class BaaiDataCollector(LiveCollector):
    """Collect a month's BAAI Data snapshot. Configure ``endpoint`` (BAAI_DATA_ENDPOINT)."""

    page_size: int = Field(default=100, description="Datasets per catalogue page.")

    def collect(
        self, accounts: pl.DataFrame, kind: str, snapshot_date: dt.date, progress: ProgressCallback | None = None
    ) -> tuple[pl.DataFrame, dict]:
        check_kind(kind, ("dataset",), PLATFORM)
        catalogues = ordered_accounts(accounts, PLATFORM)
        session = PlatformSession(PLATFORM, self._policy(), kind=kind, progress=progress, keep_raw=self.keep_raw)
        session.accounts_total = len(catalogues)
        headers = {"Accept": "application/json", "Content-Type": "application/json", "User-Agent": "osir-collector"}
        with session.httpx_client(self._base_url(PUBLIC_ENDPOINT), headers) as client:
            listings = session.run_all(
                lambda _catalogue: self._pages(client),
                catalogues,
                on_result=lambda _catalogue, items: session.report("listing", accounts_done=1, repos_seen=len(items)),
            )
        rows = [_row(item, catalogue["org"]) for catalogue, items in zip(catalogues, listings) for item in items]
        frame = pl.DataFrame(rows, schema={**ROW_SCHEMA, "total_downloads": pl.String}).with_columns(parse_count("total_downloads"))
        result = snapshot_frame(frame, PLATFORM, kind, snapshot_date)
        session.report("done")
        return result, session.stats(endpoint=self._base_url(PUBLIC_ENDPOINT))

    def _pages(self, client: httpx.Client) -> list[dict]:
        def fetch(_page: int, offset: int) -> httpx.Response:
            query = {"limit": self.page_size, "offset": offset, "datasetName": "", "startTime": None, "endTime": None, "orderBy": DOWNLOAD_ORDER}
            return client.post(LISTING_PATH, json=query)

        return read_listing(PLATFORM, f"POST {LISTING_PATH}", fetch)


def _row(item: dict, org: str) -> dict[str, Any]:
    name = item.get("uriName")
    details = {
        "dataset_id": item.get("id"),
        "display_name": item.get("datasetName"),
        "subscriptions": item.get("subscribedNumb"),
        "view_count": item.get("viewNumb"),
        "tags": item.get("tagList"),
        "last_modified": item.get("updateTime"),
    }
    return {
        "account": org,
        "name": name,
        "org": org,
        "link": f"{SITE}/datadetail/{name}",
        "downloads_last_month": None,
        "total_downloads": None if item.get("downloadNumb") is None else str(item.get("downloadNumb")),
        "likes": None,
        "community": None,
        "descendants": None,
        "dataset_usage": None,
        "details": details_json(details),
    }

"""OpenDataLab collector: the datasets each registered creator published, over httpx.

The registry names an OpenDataLab account by the ``createdBy`` id of the site's listing page
(``https://opendatalab.com/?createdBy=12199&pageNo=0&pageSize=12&sort=downloadCount``). The page is a single-page
app; the JSON endpoint assumed here is the one behind it (same family as the detail endpoint
``/datasets/api/v3/datasets/{owner},{name}``)::

    GET /datasets/api/v3/datasets?createdBy=12199&pageNo=1&pageSize=100&sort=downloadCount
    -> {"code": 0, "msg": "ok",
        "data": {"list": [{"id": 3021, "name": "OpenLane", "displayName": "OpenLane", "ownerName": "OpenDriveLab",
                           "createdBy": 12199, "downloadCount": 8800, "likeCount": 48, "viewCount": 5120,
                           "tags": [...], "mediaTypes": ["Image"], "taskTypes": [...], "license": "...",
                           "updatedAt": "..."}, ...],
                 "total": 7, "hasNext": false}}

Counts are cumulative. The site shows them rounded ("10.3k"), and the endpoint may send them as such
strings: they are parsed to integers in one vectorised step. ``account`` is the owner's namespace
(``ownerName``, as in the dataset's link and the label keys ``"<owner>/<name>"``), ``org`` the registry's
organisation of the ``createdBy`` account, and the id itself is kept in ``details.created_by``.
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

PLATFORM = "OpenDataLab"
PUBLIC_ENDPOINT = "https://opendatalab.com"
SITE = "https://opendatalab.com"
LISTING_PATH = "/datasets/api/v3/datasets"


class OpenDataLabCollector(LiveCollector):
    """Collect a month's OpenDataLab snapshot. Configure ``endpoint`` (OPENDATALAB_ENDPOINT)."""

    page_size: int = Field(default=100, description="Datasets per listing page.")
    sort: str = Field(default="downloadCount", description="Listing order, as on the site.")

    def collect(
        self, accounts: pl.DataFrame, kind: str, snapshot_date: dt.date, progress: ProgressCallback | None = None
    ) -> tuple[pl.DataFrame, dict]:
        check_kind(kind, ("dataset",), PLATFORM)
        creators = ordered_accounts(accounts, PLATFORM)
        session = PlatformSession(PLATFORM, self._policy(), kind=kind, progress=progress, keep_raw=self.keep_raw)
        session.accounts_total = len(creators)
        with session.httpx_client(self._base_url(PUBLIC_ENDPOINT), {"Accept": "application/json", "User-Agent": "osir-collector"}) as client:
            listings = session.run_all(
                lambda creator: self._pages(session, client, creator["account"]),
                creators,
                on_result=lambda creator, items: session.report("listing", accounts_done=1, repos_seen=len(items)),
            )
        rows = [_row(item, creator) for creator, items in zip(creators, listings) for item in items]
        # Counters arrive as numbers or as rounded text ("10.3k"); they are text here and parsed below.
        frame = pl.DataFrame(rows, schema={**ROW_SCHEMA, "total_downloads": pl.String, "likes": pl.String}).with_columns(
            parse_count("total_downloads"), parse_count("likes")
        )
        result = snapshot_frame(frame, PLATFORM, kind, snapshot_date)
        session.report("done")
        return result, session.stats(endpoint=self._base_url(PUBLIC_ENDPOINT))

    def _pages(self, session: PlatformSession, client: httpx.Client, created_by: str) -> list[dict]:
        def fetch(page: int, _offset: int) -> httpx.Response:
            return client.get(LISTING_PATH, params={"createdBy": created_by, "pageNo": page, "pageSize": self.page_size, "sort": self.sort})

        return read_listing(PLATFORM, f"GET {LISTING_PATH}", fetch, redact=session.redact, has_next="hasNext")


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _row(item: dict, creator: dict[str, str]) -> dict[str, Any]:
    owner = item.get("ownerName") or creator["account"]
    name = item.get("name")
    details = {
        "created_by": creator["account"],
        "dataset_id": item.get("id"),
        "display_name": item.get("displayName"),
        "view_count": item.get("viewCount"),
        "tags": item.get("tags"),
        "media_types": item.get("mediaTypes"),
        "task_types": item.get("taskTypes"),
        "license": item.get("license"),
        "last_modified": item.get("updatedAt"),
    }
    return {
        "account": owner,
        "name": name,
        "org": creator["org"],
        "link": f"{SITE}/{owner}/{name}",
        "downloads_last_month": None,
        "total_downloads": _text(item.get("downloadCount")),
        "likes": _text(item.get("likeCount")),
        "community": None,
        "descendants": None,
        "dataset_usage": None,
        "details": details_json(details),
    }

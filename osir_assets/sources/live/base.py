"""What every live collector resource shares: politeness settings and the snapshot frame builder."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any, Callable, Optional

import polars as pl
from dagster import ConfigurableResource
from pydantic import Field

from osir_assets.sources.live.http import CollectionError, HttpPolicy, Redactor
from osir_assets.sources.schema import conform

if TYPE_CHECKING:  # httpx is imported when collecting (http.py), not by every command
    import httpx

# Columns a collector fills per repository; the rest of SNAPSHOT_SCHEMA is constant per run.
ROW_SCHEMA: dict[str, pl.DataType] = {
    "account": pl.String,
    "name": pl.String,
    "org": pl.String,
    "link": pl.String,
    "downloads_last_month": pl.Int64,
    "total_downloads": pl.Int64,
    "likes": pl.Int64,
    "community": pl.Int64,
    "descendants": pl.Int64,
    "dataset_usage": pl.Int64,
    "details": pl.String,
}


class LiveCollector(ConfigurableResource):
    """Settings common to all platform collectors. ``endpoint`` unset means the public platform."""

    endpoint: Optional[str] = Field(default=None, description="API base URL; unset or empty = the public platform.")
    max_concurrency: int = Field(default=4, description="Requests in flight at once against this platform.")
    max_retries: int = Field(default=5, description="Retries of one request (429, 5xx, timeouts, unreadable JSON) before the run fails.")
    backoff_seconds: float = Field(default=1.0, description="First backoff; doubles per retry, with jitter.")
    max_backoff_seconds: float = Field(default=60.0)
    max_wait_seconds: float = Field(default=900.0, description="Longest pause a server may ask for (Retry-After, reset) before the run fails.")
    timeout_seconds: float = Field(default=30.0)
    request_budget: int = Field(default=20_000, description="Most requests (retries included) one collection may send.")
    requests_per_window: Optional[int] = Field(
        default=None, description="A ceiling on requests per window. Unset: the platform's documented limit until a RateLimit-Policy header announces the real one."
    )
    window_seconds: float = Field(default=300.0, description="Window of requests_per_window.")
    utilisation: float = Field(default=0.95, description="Share of the rate limit to use.")
    keep_raw: bool = Field(default=True, description="Keep every response body for the raw snapshot (stats['raw_responses']).")

    def _policy(self, default_limit: tuple[int, float] | None = None) -> HttpPolicy:
        """``default_limit`` = the platform's documented (requests, window seconds), assumed until announced."""
        return HttpPolicy(
            max_concurrency=self.max_concurrency,
            max_retries=self.max_retries,
            backoff_seconds=self.backoff_seconds,
            max_backoff_seconds=self.max_backoff_seconds,
            max_wait_seconds=self.max_wait_seconds,
            timeout_seconds=self.timeout_seconds,
            request_budget=self.request_budget,
            requests_per_window=self.requests_per_window,
            default_requests_per_window=default_limit[0] if default_limit else None,
            default_window_seconds=default_limit[1] if default_limit else self.window_seconds,
            window_seconds=self.window_seconds,
            utilisation=self.utilisation,
        )

    def _base_url(self, public: str) -> str:
        return (self.endpoint or public).rstrip("/")


def details_json(details: dict[str, Any]) -> str:
    """Extra fields as compact JSON text; empty values are left out so that the text stays small."""
    kept = {k: v for k, v in details.items() if v not in (None, [], {}, "")}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True, default=str)


def snapshot_frame(rows: list[dict[str, Any]] | pl.DataFrame, platform: str, kind: str, snapshot_date: dt.date) -> pl.DataFrame:
    """Rows in listing order -> a frame in SNAPSHOT_SCHEMA (record_no is the 1-based listing position)."""
    frame = rows if isinstance(rows, pl.DataFrame) else pl.DataFrame(rows, schema=ROW_SCHEMA)
    return conform(
        frame.with_row_index("record_no", offset=1).with_columns(
            pl.col("record_no").cast(pl.Int64),
            pl.lit(snapshot_date, dtype=pl.Date).alias("snapshot_date"),
            pl.lit(snapshot_date, dtype=pl.Date).alias("date_crawl"),
            pl.lit(platform).alias("platform"),
            pl.lit(kind).alias("kind"),
        )
    )


def parse_count(column: str) -> pl.Expr:
    """Counters that some pages show rounded ("10.3k", "1.2w", "3,412") as integers."""
    text = pl.col(column).cast(pl.String).str.strip_chars().str.to_lowercase().str.replace_all(",", "")
    number = text.str.extract(r"^(\d*\.?\d+)", 1).cast(pl.Float64)
    unit = text.str.extract(r"([kmw万亿])$", 1)
    factor = unit.replace_strict({"k": 1e3, "m": 1e6, "w": 1e4, "万": 1e4, "亿": 1e8}, default=1.0, return_dtype=pl.Float64)
    return (number * factor).round(0).cast(pl.Int64).alias(column)


def check_kind(kind: str, allowed: tuple[str, ...], platform: str) -> None:
    if kind not in allowed:
        raise ValueError(f"{platform} collects {' and '.join(k + 's' for k in allowed)}, not '{kind}'")


def read_listing(
    platform: str,
    where: str,
    fetch: Callable[[int, int], httpx.Response],
    redact: Redactor | None = None,
    has_next: str | None = None,
) -> list[dict]:
    """Every item of a paged listing in the envelope ``{"code": 0|200, "msg": ..., "data": {"list": [...], "total": N}}``.

    ``fetch(page, offset)`` sends the request for one page: pages count from 1, ``offset`` is the number of items
    read so far (platforms page by one or the other). ``where`` ("GET /path") names the listing in errors; with
    ``redact``, an HTTP error names the URL actually requested instead, so that the failing page shows. ``has_next``
    names the body's more-pages flag for a platform that sends one: where present it decides, not ``total``.
    """
    items: list[dict] = []
    for page in range(1, 100_000):  # a bound against a server that never says it is done
        response = fetch(page, len(items))
        if response.status_code >= 400:
            path = f"{response.request.method} {redact.path(str(response.request.url))}" if redact else where
            raise CollectionError(platform, path, f"HTTP {response.status_code}", response.status_code)
        envelope = response.json()
        if envelope.get("code") not in (0, 200):
            raise CollectionError(platform, where, f"envelope says: {envelope.get('msg') or envelope.get('code')}", response.status_code)
        body = envelope.get("data") or {}
        batch = body.get("list") or []
        items.extend(batch)
        more = body.get(has_next) if has_next else None
        if not batch or more is False or (more is None and len(items) >= int(body.get("total") or 0)):
            return items
    return items

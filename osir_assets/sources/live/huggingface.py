"""Hugging Face Hub collector: models and datasets of the registered accounts, through ``huggingface_hub``.

Requests per month and account: ONE paginated listing per account and kind
(``GET /api/models?author=A&expand=...``, pages linked by ``Link: <...>; rel="next"``) carries every count
and label input the ranking needs. Only what a listing cannot answer costs a request per repository:

* ``community``: ``GET /api/{models,datasets}/{repo}/discussions?p=0`` reads the ``count`` of discussions and
  pull requests (open ones by default, as the repository's Community tab shows them).
* ``card_extras`` (models at or above ``card_min_downloads`` only): the three requests of
  ``lib/hub_cards.py`` (all discussions, pull requests, the file scans) that the model scorecards read.
* ``dataset_usage`` (datasets only): ``GET /api/models?filter=dataset:{repo}&expand=author``, the models that
  declare training on the dataset, counted over all pages.

``expand`` cannot be combined with ``full``, ``cardData`` or ``fetch_config``; the expand list asks for card
data, config and transformersInfo instead. HF's API limits are per 5-minute window (500 anonymous, 1,000
with a free token); unless configured otherwise the collector paces itself to those, and adopts the limit a
``RateLimit-Policy`` header announces when it is stricter.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING, Any, Callable, Optional

import polars as pl
from pydantic import Field

if TYPE_CHECKING:
    from huggingface_hub import HfApi

from osir_assets.lib.hub_cards import MODEL_EXPAND, card_extras, card_of, iso, license_of, model_details
from osir_assets.sources.live.base import LiveCollector, check_kind, details_json, snapshot_frame
from osir_assets.sources.live.http import CollectionError, PlatformSession, ProgressCallback, ordered_accounts

PLATFORM = "HuggingFace"
PUBLIC_ENDPOINT = "https://huggingface.co"
SITE = "https://huggingface.co"  # links always point at the public site, whichever mirror was read

DATASET_EXPAND = ["author", "cardData", "createdAt", "downloads", "downloadsAllTime", "gated", "lastModified", "likes", "siblings", "tags"]
PROGRESS_EVERY = 100  # repositories between progress reports in per-repository phases


class HuggingFaceCollector(LiveCollector):
    """Collect a month's Hugging Face snapshot. Configure ``endpoint`` (HF_ENDPOINT) and ``token`` (HF_TOKEN)."""

    token: Optional[str] = Field(default=None, repr=False, description="Hub token (HF_TOKEN); raises the rate limit.")
    community: bool = Field(default=True, description="Count discussions + pull requests (one request per repository).")
    community_status: str = Field(default="open", description="Which discussions count: 'open' (the Community tab) or 'all'.")
    dataset_usage: bool = Field(default=True, description="Count models trained on each dataset (one request per dataset).")
    card_extras: bool = Field(default=True, description="Scorecard fields a listing lacks (discussions, pull requests, file scans): three requests per model.")
    card_min_downloads: int = Field(default=50, description="Only models with at least this many monthly downloads get the card_extras requests.")

    def collect(
        self, accounts: pl.DataFrame, kind: str, snapshot_date: dt.date, progress: ProgressCallback | None = None
    ) -> tuple[pl.DataFrame, dict]:
        check_kind(kind, ("model", "dataset"), PLATFORM)
        owners = [row["account"] for row in ordered_accounts(accounts, PLATFORM)]
        default_limit = (1000 if self.token else 500, 300.0)  # HF's documented API limit per 5 minutes
        session = PlatformSession(
            PLATFORM, self._policy(default_limit), kind=kind, secrets=[self.token], progress=progress, keep_raw=self.keep_raw
        )
        session.accounts_total = len(owners)
        endpoint = self._base_url(PUBLIC_ENDPOINT)
        from huggingface_hub import HfApi  # imported when collecting: it costs every other command a third of a second

        from osir_assets.sources.live.hub_transport import bypassed, hub_session

        api = HfApi(endpoint=endpoint, token=self.token or False, library_name="osir")

        with hub_session(session, endpoint):
            listings = session.run_all(
                lambda owner: _hub_call(session, lambda: self._listing(api, owner, kind)),
                owners,
                on_result=lambda owner, items: session.report("listing", accounts_done=1, repos_seen=len(items)),
            )
            repos = [info for items in listings for info in items]
            repo_ids = [info.id for info in repos]
            community = (
                session.run_all(lambda repo_id: self._community_count(session, endpoint, kind, repo_id), repo_ids, _every(session, "community"))
                if self.community
                else [None] * len(repos)
            )
            extras = (
                session.run_all(lambda info: self._card_extras(session, endpoint, info), repos, _every(session, "card extras"))
                if kind == "model" and self.card_extras
                else [None] * len(repos)
            )
            usage = (
                session.run_all(lambda repo_id: _hub_call(session, lambda: _models_trained_on(api, repo_id)), repo_ids, _every(session, "dataset usage"))
                if kind == "dataset" and self.dataset_usage
                else [None] * len(repos)
            )

        if bypassed(session, expected_requests=bool(owners)):
            raise CollectionError(PLATFORM, "/api", "huggingface_hub sent its requests around the collector's transport (was set_client_factory called elsewhere?)")
        to_row = _model_row if kind == "model" else _dataset_row
        rows = [to_row(info, c, x if kind == "model" else u) for info, c, u, x in zip(repos, community, usage, extras)]
        frame = snapshot_frame(rows, PLATFORM, kind, snapshot_date)
        session.report("done")
        return frame, session.stats(endpoint=session.redact.text(endpoint), accounts_listed=owners)

    def _listing(self, api: HfApi, owner: str, kind: str) -> list[Any]:
        if kind == "model":
            return list(api.list_models(author=owner, expand=MODEL_EXPAND))
        return list(api.list_datasets(author=owner, expand=DATASET_EXPAND))

    def _community_count(self, session: PlatformSession, endpoint: str, kind: str, repo_id: str) -> int | None:
        params = {"p": 0} if self.community_status == "all" else {"p": 0, "status": self.community_status}
        body = self._get_json(session, endpoint, f"/api/{kind}s/{repo_id}/discussions", params)
        return None if body is None else int(body.get("count", 0))

    def _card_extras(self, session: PlatformSession, endpoint: str, info: Any) -> dict | None:
        if (info.downloads or 0) < self.card_min_downloads:
            return None
        return card_extras(lambda path, params: self._get_json(session, endpoint, path, params), info.id)

    def _get_json(self, session: PlatformSession, endpoint: str, path: str, params: dict) -> Any:
        """One request outside the listings; None when the Hub says it is not there (disabled, or gone since the listing)."""
        from huggingface_hub.utils import build_hf_headers, get_session

        headers = build_hf_headers(token=self.token or False, library_name="osir")
        response = get_session().get(f"{endpoint}{path}", params=params, headers=headers)
        if response.status_code in (403, 404, 410):
            return None
        if response.status_code >= 400:
            raise CollectionError(PLATFORM, f"GET {session.redact.path(str(response.request.url))}", f"HTTP {response.status_code}", response.status_code)
        return response.json()


def _models_trained_on(api: HfApi, dataset_id: str) -> int:
    return sum(1 for _ in api.list_models(trained_dataset=dataset_id, expand=["author"]))


def _hub_call(session: PlatformSession, call: Callable[[], Any]) -> Any:
    """Turn the library's HTTP errors (a 401, a 400...) into a CollectionError naming path and status."""
    from huggingface_hub.errors import HfHubHTTPError

    try:
        return call()
    except HfHubHTTPError as err:
        status = err.response.status_code if err.response is not None else None
        # httpx2's error raises RuntimeError, not AttributeError, for a request it was not given: ask the response.
        path = session.redact.path(str(err.response.request.url)) if err.response is not None else "?"
        raise CollectionError(PLATFORM, f"GET {path}", session.redact.text(err.server_message or f"HTTP {status}"), status) from None


def _every(session: PlatformSession, phase: str) -> Callable[[Any, Any], None]:
    counter = itertools.count(1)
    return lambda _item, _result: session.report(phase) if next(counter) % PROGRESS_EVERY == 0 else None


def _namespace_and_name(repo_id: str) -> tuple[str, str]:
    namespace, _, name = repo_id.partition("/")
    return (namespace, name) if name else ("", namespace)


def _model_row(info: Any, community: int | None, extras: dict | None) -> dict[str, Any]:
    account, name = _namespace_and_name(info.id)
    details = model_details(info)
    if extras is not None:  # gathered only for models past the download threshold (see card_extras)
        details["card_extras"] = extras
    return {
        "account": account,
        "name": name,
        "org": None,
        "link": f"{SITE}/{info.id}",
        "downloads_last_month": info.downloads,
        "total_downloads": info.downloads_all_time,
        "likes": info.likes,
        "community": community,
        "descendants": info.children_model_count,
        "dataset_usage": None,
        "details": details_json(details),
    }


def _dataset_row(info: Any, community: int | None, usage: int | None) -> dict[str, Any]:
    account, name = _namespace_and_name(info.id)
    card = card_of(info)
    details = {
        "tags": info.tags,
        "task_categories": card.get("task_categories"),
        "gated": info.gated,
        "created_at": iso(info.created_at),
        "last_modified": iso(info.last_modified),
        "license": license_of(card, info.tags),
        "siblings": [s.rfilename for s in info.siblings or []],
        "card_data": card,
    }
    return {
        "account": account,
        "name": name,
        "org": None,
        "link": f"{SITE}/datasets/{info.id}",
        "downloads_last_month": info.downloads,
        "total_downloads": info.downloads_all_time,
        "likes": info.likes,
        "community": community,
        "descendants": None,
        "dataset_usage": usage,
        "details": details_json(details),
    }

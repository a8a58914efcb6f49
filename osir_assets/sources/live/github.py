"""GitHub collector for the infrastructure and evaluation repositories, through PyGithub.

For each registered (org, "owner/name") repository, a month costs three small calls:

* ``GET /repos/{owner}/{name}``: stars, forks, open issues (GitHub counts open pull requests in it).
* ``GET /repos/{owner}/{name}/commits?since=&until=&per_page=100``: commit authors in the month. Authors are
  told apart by login, or by e-mail for commits not linked to an account; bots (login ending in ``[bot]``
  or account type ``Bot``) are not contributors.
* ``GET /repos/{owner}/{name}/releases?per_page=100``: published releases, and those published in the month.

Lists are followed page by page through ``Link: <...>; rel="next"``. Every call is one HTTP request made with
``Github.requester.requestJsonAndCheck`` (PyGithub's public escape hatch), so that each request goes
through the shared policy (``PlatformSession.exchange``): pacing, retries on 429/403-rate-limit/5xx/timeouts/
unreadable JSON, ``Retry-After`` and ``X-RateLimit-*``, budget and counters. PyGithub's own retries and its
0.25 s pause between requests are switched off for that reason. PyGithub clients are not safe to share
between threads, so each worker thread has its own.

A repository that does not exist (``UnknownObjectException``) is listed in ``stats["missing_repos"]``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
from typing import TYPE_CHECKING, Any, Optional

import polars as pl
from pydantic import Field

if TYPE_CHECKING:
    from github import Github

from osir_assets.sources.live.base import LiveCollector
from osir_assets.sources.live.http import Attempt, CollectionError, PlatformSession, ProgressCallback, RetryableFault

PLATFORM = "GitHub"
PUBLIC_ENDPOINT = "https://api.github.com"
PAGE_SIZE = 100
_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="next"')

GITHUB_SCHEMA: dict[str, pl.DataType] = {
    "org": pl.String,
    "repo": pl.String,
    "stars": pl.Int64,
    "forks": pl.Int64,
    "open_issues": pl.Int64,
    "active_contributors": pl.Int64,
    "releases": pl.Int64,
    "releases_in_month": pl.Int64,
    "snapshot_date": pl.Date,
}


def month_window(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(month.year, month.month, 1, tzinfo=dt.timezone.utc)
    end = dt.datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=dt.timezone.utc)
    return start, end


class GitHubCollector(LiveCollector):
    """Collect repository activity. Configure ``endpoint`` (GITHUB_API_URL) and ``token`` (GITHUB_TOKEN)."""

    token: Optional[str] = Field(default=None, repr=False, description="GitHub token (GITHUB_TOKEN); 5,000 requests/hour instead of 60.")
    window_seconds: float = Field(default=3600.0, description="GitHub's primary rate limit is per hour.")

    def collect(
        self,
        repos: pl.DataFrame,
        snapshot_date: dt.date,
        month: dt.date | None = None,
        progress: ProgressCallback | None = None,
    ) -> tuple[pl.DataFrame, dict]:
        """``repos`` has columns org and repo ("owner/name"). ``month`` (default: the month of
        ``snapshot_date``) bounds "active contributors" and "releases in the month"."""
        start, end = month_window(month or snapshot_date)
        targets = repos.select("org", "repo").unique(maintain_order=True).to_dicts()
        session = PlatformSession(
            PLATFORM, self._policy((5000 if self.token else 60, 3600.0)), kind="repo", secrets=[self.token], progress=progress, keep_raw=self.keep_raw
        )
        session.accounts_total = len(targets)
        reader = _GitHubReader(self, session)
        try:
            results = session.run_all(
                lambda target: reader.repository(target["repo"], start, end),
                targets,
                on_result=lambda _target, result: session.report("repositories", accounts_done=1, repos_seen=int(result is not None)),
            )
        finally:
            reader.close()

        found = [(t, r) for t, r in zip(targets, results) if r is not None]
        missing = [t["repo"] for t, r in zip(targets, results) if r is None]
        frame = _activity_frame(found, snapshot_date, start, end)
        session.report("done")
        return frame, session.stats(
            endpoint=session.redact.text(self._base_url(PUBLIC_ENDPOINT)),
            missing_repos=missing,
            month=start.date().isoformat(),
        )


class _GitHubReader:
    """One PyGithub client per worker thread, every call through the session's policy."""

    def __init__(self, settings: GitHubCollector, session: PlatformSession):
        self._settings, self._session = settings, session
        self._local = threading.local()
        self._clients: list[Github] = []
        self._clients_lock = threading.Lock()

    def _client(self) -> Github:
        client = getattr(self._local, "client", None)
        if client is None:
            from github import Auth, Github  # imported when collecting: it costs every other command a quarter of a second

            settings = self._settings
            client = Github(
                auth=Auth.Token(settings.token) if settings.token else None,
                base_url=settings._base_url(PUBLIC_ENDPOINT),
                timeout=max(1, math.ceil(settings.timeout_seconds)),  # PyGithub accepts whole seconds only
                per_page=PAGE_SIZE,
                retry=None,  # the session retries; PyGithub would retry blind to our budget
                seconds_between_requests=0,  # the session paces; PyGithub would sleep 0.25 s per request
                seconds_between_writes=0,
                user_agent="osir-collector",
            )
            self._local.client = client
            with self._clients_lock:
                self._clients.append(client)
        return client

    def close(self) -> None:
        for client in self._clients:
            client.close()

    def get(self, url: str, parameters: dict[str, Any] | None, expect: type) -> tuple[int, dict, Any]:
        """One GET through the policy: (status, headers, data). A 404 comes back as status 404."""

        import requests  # PyGithub's transport; imported when collecting, as PyGithub is
        from github import GithubException

        def send_once() -> Attempt:
            try:
                headers, data = self._client().requester.requestJsonAndCheck("GET", url, parameters=parameters)
            except GithubException as exc:  # UnknownObjectException (404), RateLimitExceededException (403)...
                return Attempt(exc.status, exc.headers or {}, b"", payload=exc.data if exc.data is not None else {})
            except requests.exceptions.RequestException as exc:
                raise RetryableFault(type(exc).__name__) from None
            except ValueError:  # PyGithub's json.loads on a truncated or garbled body
                raise RetryableFault("unreadable JSON body") from None
            if not isinstance(data, expect):  # a non-JSON 200 body comes back as {"data": text}
                raise RetryableFault(f"unexpected JSON shape (wanted a {expect.__name__})")
            return Attempt(200, headers, b"", payload=data)

        attempt = self._session.exchange("GET", _absolute(self._settings._base_url(PUBLIC_ENDPOINT), url, parameters), send_once)
        return attempt.status, dict(attempt.headers), attempt.payload

    def pages(self, url: str, parameters: dict[str, Any]) -> list[dict]:
        items: list[dict] = []
        next_url: str | None = url
        params: dict[str, Any] | None = {**parameters, "per_page": PAGE_SIZE}
        while next_url:
            status, headers, data = self.get(next_url, params, list)
            if status >= 400:
                raise CollectionError(PLATFORM, f"GET {self._session.redact.path(next_url)}", f"HTTP {status}", status)
            items.extend(data)
            link = _NEXT_LINK.search(headers.get("link", ""))
            next_url, params = (link.group(1), None) if link else (None, None)
        return items

    def repository(self, full_name: str, start: dt.datetime, end: dt.datetime) -> dict | None:
        status, _headers, repo = self.get(f"/repos/{full_name}", None, dict)
        if status == 404:
            return None
        if status >= 400:
            raise CollectionError(PLATFORM, f"GET /repos/{full_name}", f"HTTP {status}", status)
        window = {"since": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "until": end.strftime("%Y-%m-%dT%H:%M:%SZ")}
        return {
            "repo": repo,
            "commits": self.pages(f"/repos/{full_name}/commits", window),
            "releases": self.pages(f"/repos/{full_name}/releases", {}),
        }


def _absolute(base: str, url: str, parameters: dict[str, Any] | None) -> str:
    """The URL as sent, for messages and raw records (PyGithub builds the same one)."""
    full = url if "://" in url else f"{base}{url}"
    if parameters:
        query = "&".join(f"{k}={v}" for k, v in sorted(parameters.items()))
        full = f"{full}{'&' if '?' in full else '?'}{query}"
    return full


def _activity_frame(found: list[tuple[dict, dict]], snapshot_date: dt.date, start: dt.datetime, end: dt.datetime) -> pl.DataFrame:
    repos = pl.DataFrame(
        [
            {
                "org": target["org"],
                "repo": target["repo"],
                "stars": data["repo"].get("stargazers_count"),
                "forks": data["repo"].get("forks_count"),
                "open_issues": data["repo"].get("open_issues_count"),
            }
            for target, data in found
        ],
        schema={"org": pl.String, "repo": pl.String, "stars": pl.Int64, "forks": pl.Int64, "open_issues": pl.Int64},
    )
    commits = pl.DataFrame(
        [
            {
                "repo": target["repo"],
                "login": (commit.get("author") or {}).get("login"),
                "account_type": (commit.get("author") or {}).get("type"),
                "email": ((commit.get("commit") or {}).get("author") or {}).get("email"),
                "git_name": ((commit.get("commit") or {}).get("author") or {}).get("name"),
            }
            for target, data in found
            for commit in data["commits"]
        ],
        schema={"repo": pl.String, "login": pl.String, "account_type": pl.String, "email": pl.String, "git_name": pl.String},
    )
    releases = pl.DataFrame(
        [
            {"repo": target["repo"], "draft": bool(release.get("draft")), "published_at": release.get("published_at") or release.get("created_at")}
            for target, data in found
            for release in data["releases"]
        ],
        schema={"repo": pl.String, "draft": pl.Boolean, "published_at": pl.String},
    )

    is_bot = (
        pl.col("login").str.ends_with("[bot]").fill_null(False)
        | (pl.col("account_type") == "Bot").fill_null(False)
        | pl.col("git_name").str.ends_with("[bot]").fill_null(False)
    )
    contributor = pl.coalesce(pl.col("login").str.to_lowercase(), pl.lit("email:") + pl.col("email").str.to_lowercase(), pl.lit("name:") + pl.col("git_name"))
    active = commits.filter(~is_bot).group_by("repo").agg(contributor.n_unique().alias("active_contributors"))

    published = pl.col("published_at").str.to_datetime(time_zone="UTC", strict=False)
    in_month = (published >= start) & (published < end)
    release_counts = (
        releases.filter(~pl.col("draft"))
        .group_by("repo")
        .agg(pl.len().alias("releases"), in_month.sum().alias("releases_in_month"))
    )
    return (
        repos.join(active, on="repo", how="left")
        .join(release_counts, on="repo", how="left")
        .with_columns(
            pl.col("active_contributors", "releases", "releases_in_month").fill_null(0).cast(pl.Int64),
            pl.lit(snapshot_date, dtype=pl.Date).alias("snapshot_date"),
        )
        .select([pl.col(c).cast(t) for c, t in GITHUB_SCHEMA.items()])
    )

"""Fake GitHub REST API: repositories, commits in a time window, releases; pages linked by ``Link`` headers.

Answers as api.github.com does: ``GET /repos/{owner}/{name}`` (404 ``{"message": "Not Found"}`` for an
unknown repository), ``GET /repos/{o}/{n}/commits?since=&until=&per_page=&page=`` (commit objects with a
linked ``author`` account or ``null``), ``GET /repos/{o}/{n}/releases?per_page=&page=``, and
``X-RateLimit-*`` headers on every answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from osir_assets_tests.fakes.server import FakeRequest, FakeResponse, Handler


@dataclass
class FakeRepo:
    stars: int = 10
    forks: int = 2
    open_issues: int = 1
    commits: list[dict] = field(default_factory=list)
    releases: list[dict] = field(default_factory=list)


def gh_commit(date: str, login: str | None = None, account_type: str = "User", email: str = "dev@example.org", name: str = "Dev") -> dict:
    """A commit as the commits listing returns it; ``login=None`` = not linked to a GitHub account."""
    author = {"login": login, "id": abs(hash(login)) % 10**6, "type": account_type} if login else None
    return {"sha": f"{abs(hash((date, login, email))):040x}"[:40], "commit": {"author": {"name": name, "email": email, "date": date}, "message": "change"}, "author": author}


def gh_release(tag: str, published_at: str, draft: bool = False) -> dict:
    return {"id": abs(hash(tag)) % 10**6, "tag_name": tag, "name": tag, "draft": draft, "prerelease": False, "created_at": published_at, "published_at": None if draft else published_at}


def github_handler(repos: dict[str, FakeRepo], page_size_cap: int = 100) -> Handler:
    def rate_headers() -> dict[str, str]:
        return {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999", "X-RateLimit-Reset": str(int(time.time()) + 3600)}

    def paged(request: FakeRequest, items: list[dict]) -> FakeResponse:
        per_page = min(int(request.arg("per_page", "30")), page_size_cap)
        page = int(request.arg("page", "1"))
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = rate_headers()
        if page * per_page < len(items):
            query = {k: v for k, v in request.query.items() if k != "page"}
            query["page"] = [str(page + 1)]
            headers["Link"] = f'<{request.base_url}{request.path}?{urlencode(query, doseq=True)}>; rel="next"'
        return FakeResponse(200, chunk, headers)

    def handle(request: FakeRequest) -> FakeResponse:
        parts = request.path.strip("/").split("/")
        if len(parts) < 3 or parts[0] != "repos":
            return FakeResponse(404, {"message": "Not Found"}, rate_headers())
        full_name = f"{parts[1]}/{parts[2]}"
        repo = repos.get(full_name)
        if repo is None:
            return FakeResponse(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, rate_headers())
        if len(parts) == 3:
            return FakeResponse(200, {"id": abs(hash(full_name)) % 10**6, "name": parts[2], "full_name": full_name, "owner": {"login": parts[1], "type": "Organization"},
                                      "stargazers_count": repo.stars, "forks_count": repo.forks, "open_issues_count": repo.open_issues,
                                      "html_url": f"https://github.com/{full_name}"}, rate_headers())  # fmt: skip
        if parts[3] == "commits":
            since, until = request.arg("since", ""), request.arg("until", "9999")
            in_window = [c for c in repo.commits if since <= c["commit"]["author"]["date"] < until]
            return paged(request, sorted(in_window, key=lambda c: c["commit"]["author"]["date"], reverse=True))
        if parts[3] == "releases":
            return paged(request, sorted(repo.releases, key=lambda r: r["created_at"], reverse=True))
        return FakeResponse(404, {"message": "Not Found"}, rate_headers())

    return handle

"""GitHub collector against the fake REST API: activity figures, bots excluded, missing repos, faults."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time

import polars as pl
import pytest

from osir_assets.sources.live import CollectionError, GitHubCollector, metadata_from_stats
from osir_assets.sources.live.github import GITHUB_SCHEMA
from osir_assets_tests.fakes import FakeRepo, FakeServer, gh_commit, gh_release, github_handler

TOKEN = "ghp_NeverPrintThisToken000000000000000"
SNAPSHOT = dt.date(2025, 2, 14)
MONTH = dt.date(2025, 1, 1)
FAST = {"backoff_seconds": 0.01, "max_backoff_seconds": 0.05, "timeout_seconds": 1}


def repos() -> dict[str, FakeRepo]:
    january = [
        gh_commit("2025-01-03T10:00:00Z", "alice"),
        gh_commit("2025-01-04T10:00:00Z", "alice"),
        gh_commit("2025-01-05T10:00:00Z", "Bob"),
        gh_commit("2025-01-06T10:00:00Z", "bob"),  # logins are case-insensitive
        gh_commit("2025-01-07T10:00:00Z", "dependabot[bot]", account_type="Bot"),
        gh_commit("2025-01-08T10:00:00Z", "renovate-helper", account_type="Bot"),
        gh_commit("2025-01-09T10:00:00Z", None, email="Carol@Example.org", name="Carol"),  # no linked account
        gh_commit("2025-01-10T10:00:00Z", None, email="carol@example.org", name="Carol"),
        gh_commit("2025-01-11T10:00:00Z", None, email="noreply@github.com", name="github-actions[bot]"),
    ]
    outside = [gh_commit("2024-12-31T23:59:59Z", "dave"), gh_commit("2025-02-01T00:00:00Z", "erin")]
    return {
        "FlagOpen/FlagScale": FakeRepo(
            stars=1500, forks=120, open_issues=33, commits=january + outside,
            releases=[gh_release("v0.8", "2025-01-20T00:00:00Z"), gh_release("v0.7", "2024-11-02T00:00:00Z"), gh_release("v0.9-draft", "2025-01-25T00:00:00Z", draft=True)],
        ),
        "open-compass/opencompass": FakeRepo(stars=5000, forks=500, open_issues=200, commits=[], releases=[]),
    }  # fmt: skip


TARGETS = pl.DataFrame({"org": ["BAAI", "ShanghaiAILab", "BAAI"], "repo": ["FlagOpen/FlagScale", "open-compass/opencompass", "FlagOpen/gone"]})


def collector(server: FakeServer, **options) -> GitHubCollector:
    return GitHubCollector(**{"endpoint": server.url, "token": TOKEN, **FAST, **options})


def test_activity_figures_with_bots_excluded_and_missing_repos_reported():
    with FakeServer(github_handler(repos(), page_size_cap=4)) as server:
        frame, stats = collector(server).collect(TARGETS, SNAPSHOT, month=MONTH)
    assert frame.schema == pl.Schema(GITHUB_SCHEMA)
    assert frame.drop("snapshot_date").rows() == [
        ("BAAI", "FlagOpen/FlagScale", 1500, 120, 33, 3, 2, 1),  # alice, bob, carol; 2 published releases, 1 in January
        ("ShanghaiAILab", "open-compass/opencompass", 5000, 500, 200, 0, 0, 0),
    ]
    assert frame["snapshot_date"].unique().to_list() == [SNAPSHOT]
    assert stats["missing_repos"] == ["FlagOpen/gone"] and stats["month"] == "2025-01-01"
    commit_pages = [r.target for r in server.requests if "/commits" in r.target]
    assert len(commit_pages) == 3 + 1  # 9 January commits, 4 per page; the empty repository needs one
    assert "since=2025-01-01T00%3A00%3A00Z" in commit_pages[0] or "since=2025-01-01T00:00:00Z" in commit_pages[0]
    assert all(r.headers["authorization"] == f"token {TOKEN}" or r.headers["authorization"] == f"Bearer {TOKEN}" for r in server.requests)


def test_month_defaults_to_the_snapshot_month():
    with FakeServer(github_handler(repos())) as server:
        frame, stats = collector(server).collect(TARGETS.head(1), SNAPSHOT)
    assert stats["month"] == "2025-02-01"
    assert frame.select("active_contributors", "releases_in_month").row(0) == (1, 0)  # erin committed on Feb 1


def test_faults_are_retried_including_github_rate_limit_403():
    reset = str(int(time.time()))  # the window resets now: the wait is short
    with FakeServer(github_handler(repos())) as server:
        server.inject("status", "/repos/FlagOpen/FlagScale ", status=403, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset})
        server.inject("status", "/commits", times=2, status=502)
        server.inject("malformed", "/releases")
        server.inject("truncate", "opencompass ")
        server.inject("slow", "opencompass/commits", delay=1.5)  # PyGithub times out after whole seconds (1 here)
        frame, stats = collector(server).collect(TARGETS, SNAPSHOT, month=MONTH)
    assert frame.select("repo", "active_contributors", "releases").rows() == [("FlagOpen/FlagScale", 3, 2), ("open-compass/opencompass", 0, 0)]
    assert stats["retries"] == 6 and stats["throttled"] == 1 and stats["failures"] == 0


def test_persistent_failure_is_clear_and_leaks_no_token(caplog):
    with FakeServer(github_handler(repos())) as server:
        server.inject("status", "/releases", times=-1, status=500)
        with caplog.at_level(logging.DEBUG), pytest.raises(CollectionError) as failure:
            collector(server, max_retries=2).collect(TARGETS, SNAPSHOT, month=MONTH)
    message = str(failure.value)
    assert message.startswith("GitHub: GET /repos/") and "/releases" in message and "last status 500" in message
    assert TOKEN not in message and TOKEN not in caplog.text


def test_token_absent_from_stats_and_repr():
    with FakeServer(github_handler(repos())) as server:
        resource = collector(server)
        _, stats = resource.collect(TARGETS, SNAPSHOT, month=MONTH)
    assert TOKEN not in json.dumps(metadata_from_stats(stats)) and TOKEN not in repr(resource)
    assert all(TOKEN.encode() not in raw.body for raw in stats["raw_responses"])

"""The polite HTTP layer on its own: header parsing, pacing, retries, budget, redaction."""

from __future__ import annotations

import gzip
import json
import logging
import time

import httpx
import pytest

from osir_assets.sources.live.http import (
    CollectionError,
    HttpPolicy,
    PlatformSession,
    RateLimiter,
    RawResponse,
    Redactor,
    pack_raw_responses,
    parse_rate_limit,
    parse_retry_after,
)
from osir_assets_tests.fakes import FakeResponse, FakeServer, RateLimit

FAST = HttpPolicy(max_retries=3, backoff_seconds=0.01, max_backoff_seconds=0.05, timeout_seconds=0.5)


def echo(request):
    return FakeResponse(200, {"path": request.path, "query": request.query})


# ------------------------------------------------------------------------------------------ headers


def test_ietf_structured_ratelimit_and_policy():
    hint = parse_rate_limit({"RateLimit": '"default";r=0;t=30', "RateLimit-Policy": '"fixed window";"default";q=500;w=300'})
    assert (hint.remaining, hint.reset_seconds, hint.limit, hint.window_seconds) == (0, 30, 500, 300)


def test_older_ratelimit_forms():
    dictionary = parse_rate_limit({"ratelimit": "limit=100, remaining=7, reset=12"})
    assert (dictionary.remaining, dictionary.reset_seconds, dictionary.limit) == (7, 12, 100)
    legacy = parse_rate_limit({"RateLimit-Remaining": "3", "RateLimit-Reset": "9", "RateLimit-Limit": "50"})
    assert (legacy.remaining, legacy.reset_seconds, legacy.limit) == (3, 9, 50)
    now = 1_700_000_000.0
    github = parse_rate_limit({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(now) + 40)}, now=now)
    assert github.remaining == 0 and github.reset_seconds == pytest.approx(40)
    assert parse_rate_limit({"Content-Type": "application/json"}) is None


def test_retry_after_seconds_and_http_date():
    assert parse_retry_after({"Retry-After": "7"}) == 7
    now = time.time()
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 20))
    assert parse_retry_after({"retry-after": date}, now=now) == pytest.approx(20, abs=1.5)
    assert parse_retry_after({}) is None


# ------------------------------------------------------------------------------------------ pacing


def test_limiter_spaces_requests_at_the_target_share_of_the_limit():
    limiter = RateLimiter(100, 10.0, utilisation=0.95)  # 9.5 requests per second
    waits = [limiter.reserve() for _ in range(40)]
    burst = sum(1 for w in waits if w <= 0)
    assert 1 <= burst <= 3  # a small burst allowance, then pacing
    assert waits[-1] == pytest.approx((40 - burst) / 9.5, rel=0.1)


def test_limiter_follows_the_server_policy_and_pauses_on_zero_remaining():
    limiter = RateLimiter(None, 300)
    assert limiter.reserve() == 0  # nothing known: no pacing
    limiter.observe(parse_rate_limit({"RateLimit": '"api";r=10;t=5', "RateLimit-Policy": '"fixed window";"api";q=60;w=60'}))
    assert limiter.known_limit == (60, 60)
    limiter.observe(parse_rate_limit({"RateLimit": '"api";r=0;t=2'}))
    assert limiter.reserve() == pytest.approx(2, abs=0.1)


def test_announced_limit_replaces_the_assumed_one_but_not_an_explicit_ceiling():
    announced = parse_rate_limit({"RateLimit": '"api";r=9;t=5', "RateLimit-Policy": '"fixed window";"api";q=2500;w=300'})
    assumed = RateLimiter(None, 300, assumed=(500, 300))
    assumed.observe(announced)
    assert assumed.known_limit == (2500, 300)  # the platform knows better than our default
    ceiling = RateLimiter(1000, 300)
    ceiling.observe(announced)
    assert ceiling.known_limit == (1000, 300)  # configuration is a ceiling the server cannot raise


# ------------------------------------------------------------------------------------- the policy loop


def test_transient_faults_are_retried_and_counted():
    with FakeServer(echo) as server:
        server.inject("status", "/a", times=2, status=503)
        server.inject("truncate", "/b")
        server.inject("malformed", "/c")
        server.inject("drop", "/d")
        session = PlatformSession("Fake", FAST)
        with session.httpx_client(server.url) as client:
            bodies = [client.get(f"/{p}").json()["path"] for p in "abcd"]
    assert bodies == ["/a", "/b", "/c", "/d"]
    stats = session.stats()
    assert (stats["requests"], stats["retries"], stats["failures"]) == (9, 5, 0)
    assert [r.path for r in stats["raw_responses"]] == ["/a", "/b", "/c", "/d"]


def test_slow_response_times_out_and_is_retried():
    policy = HttpPolicy(max_retries=2, backoff_seconds=0.01, timeout_seconds=0.2)
    with FakeServer(echo) as server:
        server.inject("slow", "/slow", delay=0.6)
        session = PlatformSession("Fake", policy)
        with session.httpx_client(server.url) as client:
            assert client.get("/slow").json()["path"] == "/slow"
    assert session.stats()["retries"] == 1


def test_persistent_fault_fails_with_platform_path_and_status():
    with FakeServer(echo) as server:
        server.inject("status", "/down", times=-1, status=502)
        session = PlatformSession("Fake", FAST)
        with session.httpx_client(server.url) as client, pytest.raises(CollectionError) as failure:
            client.get("/down", params={"page": 2})
    message = str(failure.value)
    assert message.startswith("Fake: GET /down?page=2 failed after 4 attempts (last status 502")
    assert failure.value.status == 502 and failure.value.attempts == 4


def test_retry_after_longer_than_allowed_fails_at_once():
    policy = HttpPolicy(max_retries=5, backoff_seconds=0.01, max_wait_seconds=5)
    with FakeServer(echo) as server:
        server.inject("status", "/busy", times=-1, status=429, retry_after="3600")
        session = PlatformSession("Fake", policy)
        with session.httpx_client(server.url) as client, pytest.raises(CollectionError, match="more than max_wait_seconds"):
            client.get("/busy")
    assert server.count("/busy") == 1


def test_request_budget_is_enforced():
    with FakeServer(echo) as server:
        session = PlatformSession("Fake", HttpPolicy(request_budget=3))
        with session.httpx_client(server.url) as client:
            for _ in range(3):
                client.get("/x")
            with pytest.raises(CollectionError, match="request budget of 3 requests exhausted"):
                client.get("/x")
    assert server.count("/x") == 3


def test_client_side_pacing_avoids_429_under_a_server_limit():
    limit = RateLimit(limit=20, window_seconds=0.5)
    policy = HttpPolicy(max_concurrency=4, requests_per_window=20, window_seconds=0.5, backoff_seconds=0.01)
    with FakeServer(echo, rate_limit=limit) as server:
        session = PlatformSession("Fake", policy)
        with session.httpx_client(server.url) as client:
            session.run_all(lambda i: client.get(f"/item/{i}").json(), list(range(60)))
    assert limit.rejected == 0 and session.stats()["throttled"] == 0
    assert limit.max_in_any_window() <= 20


def test_legacy_remaining_and_reset_headers_pause_before_the_limit():
    # Nothing configured and no policy header: only "RateLimit-Remaining: 0" + "RateLimit-Reset" tell when to stop.
    limit = RateLimit(limit=4, window_seconds=0.5, header_style="legacy")
    with FakeServer(echo, rate_limit=limit) as server:
        session = PlatformSession("Fake", HttpPolicy(max_concurrency=1, backoff_seconds=0.01))
        with session.httpx_client(server.url) as client:
            session.run_all(lambda i: client.get(f"/item/{i}").json(), list(range(10)))
    assert limit.rejected == 0 and session.stats()["retries"] == 0


def test_run_all_cancels_siblings_and_reraises_the_first_failure():
    with FakeServer(echo) as server:
        server.inject("status", "/item/3", times=-1, status=500)
        session = PlatformSession("Fake", HttpPolicy(max_concurrency=2, max_retries=1, backoff_seconds=0.01))
        with session.httpx_client(server.url) as client, pytest.raises(CollectionError, match="/item/3"):
            session.run_all(lambda i: client.get(f"/item/{i}").json(), list(range(200)))
    assert server.count("/item/") < 200  # the queue was abandoned


# ------------------------------------------------------------------------------------------ secrets


def test_redactor_masks_tokens_and_secret_query_parameters():
    redact = Redactor(["tok_12345"])
    assert redact.path("https://u:p@h.example/api?access_token=abc&page=2") == "/api?access_token=%2A%2A%2A&page=2"
    assert redact.path("/api/models?author=BAAI&apiKey=k&sig=s") == "/api/models?author=BAAI&apiKey=%2A%2A%2A&sig=%2A%2A%2A"  # author is no secret
    assert redact.text("Bearer tok_12345 failed") == "Bearer *** failed"


def test_tokens_never_reach_logs_stats_or_errors(caplog):
    token = "sekrit-token-9876"
    with FakeServer(echo) as server:
        server.inject("status", "/x", times=-1, status=500)
        session = PlatformSession("Fake", FAST, secrets=[token])
        client = session.httpx_client(server.url, {"Authorization": f"Bearer {token}"})
        with caplog.at_level(logging.DEBUG), pytest.raises(CollectionError) as failure:
            client.get(f"/x?token={token}")
        client.close()
    assert server.requests[0].headers["authorization"] == f"Bearer {token}"  # it was sent...
    assert token not in caplog.text and token not in str(failure.value) and token not in repr(failure.value)
    assert token not in json.dumps({k: v for k, v in session.stats().items() if k != "raw_responses"})


def test_raw_responses_pack_as_gzipped_json_lines():
    packed = pack_raw_responses([RawResponse("/a", 200, b'{"x": 1}'), RawResponse("/b?p=2", 200, b"[]")])
    lines = [json.loads(line) for line in gzip.decompress(packed).decode().splitlines()]
    assert lines == [{"path": "/a", "status": 200, "body": '{"x": 1}'}, {"path": "/b?p=2", "status": 200, "body": "[]"}]


def test_httpx_client_keeps_working_headers_after_policy():
    def gzipped(request):
        return FakeResponse(200, gzip.compress(b'{"ok": true}'), {"Content-Encoding": "gzip"})

    with FakeServer(gzipped) as server:
        session = PlatformSession("Fake", FAST)
        with session.httpx_client(server.url) as client:
            response = client.get("/z")
    assert isinstance(response, httpx.Response) and response.json() == {"ok": True}
    assert session.raw_responses[0].body == b'{"ok": true}'

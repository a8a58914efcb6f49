"""A polite HTTP layer shared by every live collector.

One ``PlatformSession`` per collection run and platform holds the policy (retries, backoff, waits, budget,
pacing, concurrency), the counters that end up in the asset's metadata, the raw response bodies that end up
in the monthly raw snapshot, and the progress reporting. Every HTTP exchange of a collector goes through
``PlatformSession.exchange``, whatever library sends it:

* httpx (ModelScope, OpenDataLab, BAAI Data): ``session.httpx_client(...)`` mounts a transport that runs
  the policy around each request.
* huggingface_hub 2.x speaks through a process-wide ``httpx2.Client`` built by a client factory;
  ``hub_transport.py`` installs a factory whose transport hands requests to the session of the collection
  running in the current context.
* PyGithub: the collector wraps each single-request call in ``exchange`` (see ``github.py``).

Why so much care: the platforms throttle per token and per window (Hugging Face: 500 anonymous / 1,000 free
requests per 5 minutes). A monthly crawl has to use that allowance fully without tripping it, survive the
odd 5xx or truncated body, and fail loudly, never partially, when a platform is really down.

Secrets: tokens travel only in request headers. Paths in messages are reduced to path + query with any
secret-looking query parameter masked, and every message passes through a redactor that masks the
configured tokens, so a token never reaches a log line, an exception, a repr or the metadata.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import email.utils
import gzip
import json
import logging
import random
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

import polars as pl

if TYPE_CHECKING:
    import httpx

logger = logging.getLogger("osir_assets.sources.live")

T = TypeVar("T")
R = TypeVar("R")


# ----------------------------------------------------------------------------------------------- errors


class CollectionError(Exception):
    """A platform could not be read completely. The message names the platform, the request path and the
    last status; it never contains a token."""

    def __init__(self, platform: str, path: str, reason: str, status: int | None = None, attempts: int = 0):
        self.platform, self.path, self.reason, self.status, self.attempts = platform, path, reason, status, attempts
        tried = f" after {attempts} attempt{'s' if attempts != 1 else ''}" if attempts else ""
        last = f"last status {status}" if status is not None else "no response"
        super().__init__(f"{platform}: {path} failed{tried} ({last}: {reason})")


class _Cancelled(Exception):
    """Raised in sibling workers once one worker has failed: the collection is abandoned as a whole."""


class RetryableFault(Exception):
    """One attempt failed in a way worth retrying (timeout, dropped connection, unreadable body)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# ----------------------------------------------------------------------------------------------- policy


@dataclass(frozen=True)
class HttpPolicy:
    """How hard and how fast one platform may be asked. Collectors build it from their resource config."""

    max_concurrency: int = 4  # requests in flight at once
    max_retries: int = 5  # retries of one request before the collection fails
    backoff_seconds: float = 1.0  # first backoff; doubles per retry, with jitter
    max_backoff_seconds: float = 60.0
    max_wait_seconds: float = 900.0  # a server asking for a longer pause (Retry-After, reset) fails the run
    timeout_seconds: float = 30.0
    request_budget: int = 20_000  # attempts (retries included) one collection may send
    requests_per_window: int | None = None  # a ceiling set by configuration; the server cannot raise it
    window_seconds: float = 300.0
    default_requests_per_window: int | None = None  # the platform's documented limit, until the server announces its own
    default_window_seconds: float = 300.0
    utilisation: float = 0.95  # share of the known limit to use; the rest absorbs clock and latency skew


@dataclass(frozen=True)
class Attempt:
    """What one request attempt produced, independent of the HTTP library that sent it."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    is_json: bool = True
    payload: Any = None  # an already-parsed body, when the library parsed it (PyGithub)


@dataclass(frozen=True)
class RawResponse:
    """A response body kept for the monthly raw snapshot."""

    path: str
    status: int
    body: bytes


# ------------------------------------------------------------------------------------------- redaction

# Parameter names that END like a secret (access_token, api_key, sig...): a bare substring test would also mask
# ordinary parameters such as Hugging Face's ``author``, and the raw snapshot would lose which account a page is.
_SECRET_PARAM = re.compile(r"(token|key|secret|password|passwd|auth|authorization|sig|signature|session|sessionid|cookie|credentials?)$", re.IGNORECASE)


class Redactor:
    """Masks configured secrets in any text and secret-looking query parameters in URLs."""

    def __init__(self, secrets: Iterable[str | None] = ()):
        # Longest first, so a token that contains another is masked whole.
        self._secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def text(self, value: object) -> str:
        text = str(value)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def path(self, url: str) -> str:
        """Path and query of ``url`` (no scheme, host or user info), with secret parameters masked."""
        parts = urlsplit(str(url))
        query = [(k, "***" if _SECRET_PARAM.search(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        path = parts.path or "/"
        return self.text(f"{path}?{urlencode(query)}" if query else path)


class _LibraryLogMask(logging.Filter):
    """httpx and httpx2 log each request's full URL at INFO: a key in a URL (a gateway path, a query) would reach
    any log configured at INFO. Every live session's redactor masks those records too."""

    def __init__(self) -> None:
        super().__init__()
        self.redactors: weakref.WeakSet[Redactor] = weakref.WeakSet()

    def filter(self, record: logging.LogRecord) -> bool:
        redactors = list(self.redactors)
        if redactors:
            message = record.getMessage()
            for redactor in redactors:
                message = redactor.text(message)
            record.msg, record.args = message, None
        return True


_LIBRARY_LOG_MASK = _LibraryLogMask()
for _library in ("httpx", "httpx2"):
    logging.getLogger(_library).addFilter(_LIBRARY_LOG_MASK)


# --------------------------------------------------------------------------------- rate-limit headers


@dataclass(frozen=True)
class RateLimitHint:
    remaining: int | None = None
    reset_seconds: float | None = None  # until the current window resets
    limit: int | None = None  # requests per window, from a policy header
    window_seconds: float | None = None


_NUMBER = r"(\d+(?:\.\d+)?)"


def _param(text: str, name: str) -> float | None:
    match = re.search(rf"(?:^|[;,\s]){name}\s*=\s*{_NUMBER}", text)
    return float(match.group(1)) if match else None


def parse_rate_limit(headers: Mapping[str, str], now: float | None = None) -> RateLimitHint | None:
    """Read the rate-limit state a server announces.

    Understands the IETF draft in its current form (``RateLimit: "default";r=0;t=30`` with
    ``RateLimit-Policy: "fixed window";"default";q=500;w=300``), its older dictionary form
    (``RateLimit: limit=100, remaining=0, reset=30``), the separate ``RateLimit-Remaining`` /
    ``RateLimit-Reset`` / ``RateLimit-Limit`` headers and GitHub's ``X-RateLimit-*`` (reset as epoch seconds).
    """
    lower = {k.lower(): v for k, v in headers.items()}
    remaining = reset = limit = window = None
    if combined := lower.get("ratelimit"):
        remaining = _param(combined, "r") if _param(combined, "r") is not None else _param(combined, "remaining")
        reset = _param(combined, "t") if _param(combined, "t") is not None else _param(combined, "reset")
        limit = _param(combined, "limit")
    if policy := lower.get("ratelimit-policy") or lower.get("x-ratelimit-policy"):
        limit = _param(policy, "q") or limit
        window = _param(policy, "w")
        if limit is None and (leading := re.match(rf"\s*{_NUMBER}\s*;", policy)):  # older "100;w=60"
            limit = float(leading.group(1))
    for prefix in ("ratelimit-", "x-ratelimit-"):
        if remaining is None and (value := lower.get(prefix + "remaining")) is not None:
            remaining = _to_float(value)
        if reset is None and (value := lower.get(prefix + "reset")) is not None:
            reset = _to_float(value)
            if reset is not None and reset > 1e9:  # GitHub style: epoch seconds, not a delay
                reset = max(0.0, reset - (now if now is not None else time.time()))
        if limit is None and (value := lower.get(prefix + "limit")) is not None:
            limit = _to_float(value)
    if remaining is None and limit is None:
        return None
    return RateLimitHint(
        remaining=int(remaining) if remaining is not None else None,
        reset_seconds=reset,
        limit=int(limit) if limit is not None else None,
        window_seconds=window,
    )


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """``Retry-After`` as seconds: either a delay or an HTTP date."""
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if value is None or not str(value).strip():
        return None
    seconds = _to_float(value)
    if seconds is not None:
        return max(0.0, seconds)
    try:
        when = email.utils.parsedate_to_datetime(str(value)).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (now if now is not None else time.time()))


def _to_float(value: object) -> float | None:
    try:
        return float(str(value).strip())
    except ValueError:
        return None


# ------------------------------------------------------------------------------------------- pacing


class RateLimiter:
    """Client-side pacing so a known limit is used almost fully but never exceeded.

    A generic cell-rate algorithm (a token bucket expressed as "theoretical arrival time"): requests are
    spaced ``1/rate`` apart with a small burst allowance. The rate is ``utilisation * limit / window`` and the
    burst is kept within the remaining share, so that any interval of one window holds at most ``limit``
    requests: the server never has a reason to answer 429.

    Which limit: the one the server announces (``RateLimit-Policy``) replaces the platform default we assume
    before the first answer; a limit set explicitly in configuration is a ceiling the server cannot raise (the
    token may be shared with other jobs). On top of that the server's word wins: when it says no request is
    left (``remaining == 0``) or answers 429, everybody pauses until the reset it names.
    """

    def __init__(
        self, requests_per_window: int | None, window_seconds: float, utilisation: float = 0.95, assumed: tuple[int, float] | None = None
    ):
        self._utilisation = utilisation
        self._lock = threading.Lock()
        self._explicit = (requests_per_window, window_seconds) if requests_per_window else None
        self._assumed = assumed if assumed and assumed[0] else None
        self._announced: tuple[int, float] | None = None
        self._interval = 0.0  # seconds between requests; 0 = unpaced
        self._tolerance = 0.0  # how far ahead of schedule a burst may run
        self._next_slot = 0.0  # theoretical arrival time of the next request
        self._paused_until = 0.0
        self.known_limit: tuple[int, float] | None = None
        self._apply()

    def _apply(self) -> None:
        candidates = [c for c in (self._explicit, self._announced) if c] or ([self._assumed] if self._assumed else [])
        if not candidates:
            return
        limit, window = min(candidates, key=lambda c: c[0] / c[1])
        self.known_limit = (limit, window)
        rate = self._utilisation * limit / window
        burst = max(1.0, limit * (1.0 - self._utilisation) / 2)
        interval = 1.0 / rate
        if self._interval:
            # Slots booked at the old pace are re-spaced at the new one (same number of requests ahead).
            now = time.monotonic()
            self._next_slot = now + max(0.0, self._next_slot - now) * interval / self._interval
        self._interval = interval
        self._tolerance = (burst - 1.0) * interval

    @property
    def allowed_rate(self) -> float | None:
        """The platform's limit in requests per second, when known."""
        return self.known_limit[0] / self.known_limit[1] if self.known_limit else None

    def pause_until(self, deadline: float) -> None:
        with self._lock:
            self._paused_until = max(self._paused_until, deadline)

    def observe(self, hint: RateLimitHint | None) -> None:
        if hint is None:
            return
        if hint.limit and hint.window_seconds and (hint.limit, hint.window_seconds) != self._announced:
            with self._lock:
                self._announced = (hint.limit, hint.window_seconds)
                self._apply()
        if hint.remaining is not None and hint.remaining <= 0 and hint.reset_seconds is not None:
            self.pause_until(time.monotonic() + hint.reset_seconds)

    def reserve(self) -> float:
        """Book the next send slot; returns how long the caller must wait for it."""
        with self._lock:
            now = time.monotonic()
            earliest = max(now, self._paused_until)
            if self._interval:
                send_at = max(earliest, self._next_slot - self._tolerance)
                self._next_slot = max(self._next_slot, send_at) + self._interval
            else:
                send_at = earliest
        return send_at - now


# ------------------------------------------------------------------------------------------- progress


@dataclass(frozen=True)
class Progress:
    """A progress report; ``str()`` gives a line fit for a Dagster log."""

    platform: str
    kind: str
    phase: str
    accounts_done: int
    accounts_total: int
    repos_seen: int
    requests: int
    retries: int

    def __str__(self) -> str:
        return (
            f"{self.platform} {self.kind}s [{self.phase}]: {self.accounts_done}/{self.accounts_total} accounts, "
            f"{self.repos_seen} repos, {self.requests} requests, {self.retries} retries"
        )


ProgressCallback = Callable[[Progress], None]


# -------------------------------------------------------------------------------------------- session


@dataclass
class _Counters:
    requests: int = 0
    retries: int = 0
    failures: int = 0
    throttled: int = 0  # 429s and rate-limit 403s seen
    request_seconds: float = 0.0  # time spent waiting for responses
    waited_seconds: float = 0.0  # time spent pacing and backing off
    accounts_done: int = 0
    repos_seen: int = 0
    budget_used: int = 0  # attempts booked, counted before sending so concurrent workers cannot overshoot


THROTTLE_STATUSES = {429}
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


class PlatformSession:
    """Policy, counters, raw bodies and progress of one collection run against one platform."""

    def __init__(
        self,
        platform: str,
        policy: HttpPolicy,
        *,
        kind: str = "",
        secrets: Iterable[str | None] = (),
        progress: ProgressCallback | None = None,
        keep_raw: bool = True,
    ):
        self.platform, self.kind, self.policy = platform, kind, policy
        self.redact = Redactor(secrets)
        _LIBRARY_LOG_MASK.redactors.add(self.redact)
        assumed = (policy.default_requests_per_window, policy.default_window_seconds) if policy.default_requests_per_window else None
        self.limiter = RateLimiter(policy.requests_per_window, policy.window_seconds, policy.utilisation, assumed)
        self.raw_responses: list[RawResponse] = []
        self.accounts_total = 0
        self._keep_raw = keep_raw
        self._progress = progress
        self._counters = _Counters()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max(1, policy.max_concurrency))
        self._cancelled = threading.Event()
        self._started = time.monotonic()

    # -- the policy loop ---------------------------------------------------------------------------

    def exchange(self, method: str, url: str, send_once: Callable[[], Attempt]) -> Attempt:
        """Send one logical request, retrying transient faults under the policy.

        Returns the first usable attempt: a 2xx with a readable body, or a 4xx the caller must interpret
        (404, 403...). Raises ``CollectionError`` once the retries, the budget or the patience run out.
        """
        path = self.redact.path(url)
        status: int | None = None
        reason = "not attempted"
        for attempt_no in range(1, self.policy.max_retries + 2):
            self._take_budget(method, path)
            self._sleep(self.limiter.reserve())
            with self._slots:
                self._raise_if_cancelled()
                started = time.monotonic()
                try:
                    attempt = send_once()
                except RetryableFault as exc:
                    attempt, status, reason = None, None, exc.reason
            self._add(requests=1, request_seconds=time.monotonic() - started)
            server_wait = None
            if attempt is not None:
                status = attempt.status
                self.limiter.observe(parse_rate_limit(attempt.headers))
                verdict = self._classify(attempt)
                if verdict is None:
                    self._keep(path, attempt)
                    return attempt
                reason, server_wait = verdict
            if attempt_no > self.policy.max_retries:
                break
            wait = self._backoff(attempt_no, server_wait)
            if wait > self.policy.max_wait_seconds:
                reason += f"; the server asked for a {wait:.0f} s pause, more than max_wait_seconds={self.policy.max_wait_seconds:.0f}"
                break
            self._add(retries=1)
            logger.warning(self.redact.text(f"{self.platform}: {method} {path} -> {reason}; retry {attempt_no}/{self.policy.max_retries} in {wait:.2f} s"))
            if server_wait is not None:
                # A throttled platform is throttled for every worker, not only this one.
                self.limiter.pause_until(time.monotonic() + wait)
            else:
                self._sleep(wait)
        self._add(failures=1)
        raise CollectionError(self.platform, f"{method} {path}", self.redact.text(reason), status, attempt_no)

    def _classify(self, attempt: Attempt) -> tuple[str, float | None] | None:
        """None when the attempt is usable; else (reason, server-requested wait or None)."""
        status, headers = attempt.status, attempt.headers
        hint = parse_rate_limit(headers)
        retry_after = parse_retry_after(headers)
        exhausted = hint is not None and hint.remaining is not None and hint.remaining <= 0
        # GitHub signals its primary and secondary limits with 403 + headers rather than 429.
        throttled = status in THROTTLE_STATUSES or (status == 403 and (retry_after is not None or exhausted))
        if throttled:
            self._add(throttled=1)
            wait = retry_after if retry_after is not None else (hint.reset_seconds if exhausted and hint.reset_seconds is not None else None)
            return f"HTTP {status} (throttled)", wait if wait is not None else self._plain_backoff(1)
        if status in RETRY_STATUSES:
            return f"HTTP {status}", retry_after
        if 200 <= status < 300 and attempt.is_json and attempt.payload is None:
            try:
                json.loads(attempt.body)
            except ValueError as exc:
                return f"unreadable JSON body ({len(attempt.body)} bytes: {exc.msg if hasattr(exc, 'msg') else exc})", None
        return None

    def _backoff(self, attempt_no: int, server_wait: float | None) -> float:
        if server_wait is not None:
            # Never earlier than asked; a little spread so that workers do not return in lockstep.
            return server_wait + random.uniform(0, min(1.0, 0.1 * server_wait + 0.01))
        return self._plain_backoff(attempt_no)

    def _plain_backoff(self, attempt_no: int) -> float:
        ceiling = min(self.policy.max_backoff_seconds, self.policy.backoff_seconds * 2 ** (attempt_no - 1))
        return ceiling * random.uniform(0.5, 1.0)  # "equal jitter": spread out, but never near zero

    def _take_budget(self, method: str, path: str) -> None:
        self._raise_if_cancelled()
        with self._lock:
            if self._counters.budget_used >= self.policy.request_budget:
                self._counters.failures += 1
                raise CollectionError(
                    self.platform, f"{method} {path}", f"request budget of {self.policy.request_budget} requests exhausted (raise request_budget if the registry grew)", None, 0
                )
            self._counters.budget_used += 1

    # -- bookkeeping --------------------------------------------------------------------------------

    def _keep(self, path: str, attempt: Attempt) -> None:
        if self._keep_raw:
            body = attempt.body if attempt.payload is None else json.dumps(attempt.payload, ensure_ascii=False).encode()
            with self._lock:
                self.raw_responses.append(RawResponse(path, attempt.status, body))

    def _add(self, **deltas: float) -> None:
        with self._lock:
            for name, delta in deltas.items():
                setattr(self._counters, name, getattr(self._counters, name) + delta)

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._add(waited_seconds=seconds)
            if self._cancelled.wait(seconds):
                raise _Cancelled()

    def _raise_if_cancelled(self) -> None:
        if self._cancelled.is_set():
            raise _Cancelled()

    def cancel(self) -> None:
        self._cancelled.set()

    # -- progress and summary -----------------------------------------------------------------------

    def report(self, phase: str, accounts_done: int = 0, repos_seen: int = 0) -> None:
        """Count finished accounts / seen repos and tell the caller's progress callback."""
        self._add(accounts_done=accounts_done, repos_seen=repos_seen)
        if self._progress is None:
            return
        c = self._counters
        update = Progress(self.platform, self.kind, phase, c.accounts_done, self.accounts_total, c.repos_seen, c.requests, c.retries)
        try:
            self._progress(update)
        except Exception:  # a broken log sink must not fail a crawl
            logger.exception("progress callback failed")

    def stats(self, **extra: Any) -> dict[str, Any]:
        """Counters for the asset metadata, plus the raw bodies under ``raw_responses``."""
        c = self._counters
        seconds = time.monotonic() - self._started
        summary: dict[str, Any] = {
            "platform": self.platform,
            "kind": self.kind,
            "accounts": self.accounts_total,
            "repos": c.repos_seen,
            "requests": c.requests,
            "retries": c.retries,
            "failures": c.failures,
            "throttled": c.throttled,
            "seconds": round(seconds, 3),
            "request_seconds": round(c.request_seconds, 3),
            "waited_seconds": round(c.waited_seconds, 3),
            "request_budget": self.policy.request_budget,
            "requests_per_second": round(c.requests / seconds, 3) if seconds > 0 else None,
            "allowed_requests_per_second": round(self.limiter.allowed_rate, 3) if self.limiter.allowed_rate else None,
        }
        summary.update(extra)
        summary["raw_responses"] = list(self.raw_responses)
        return summary

    # -- concurrency ---------------------------------------------------------------------------------

    def run_all(self, work: Callable[[T], R], items: list[T], on_result: Callable[[T, R], None] | None = None) -> list[R]:
        """Run ``work`` over ``items`` with bounded concurrency; results in input order.

        ``on_result`` runs in the calling thread as results arrive (progress is reported from one thread).
        The first failure cancels everything still queued or retrying and is re-raised: a collection
        returns all of its rows or none.
        """
        if not items:
            return []
        results: dict[int, R] = {}
        workers = max(1, min(self.policy.max_concurrency, len(items)))
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"osir-{self.platform}") as pool:
            # Each task runs in a copy of the caller's context, so context-bound routing (the Hub transport) follows it.
            futures = {pool.submit(contextvars.copy_context().run, work, item): index for index, item in enumerate(items)}
            try:
                for future in concurrent.futures.as_completed(futures):
                    index = futures[future]
                    results[index] = future.result()
                    if on_result is not None:
                        on_result(items[index], results[index])
            except BaseException:
                self.cancel()
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        return [results[i] for i in range(len(items))]

    # -- httpx integration ---------------------------------------------------------------------------

    def httpx_client(self, base_url: str, headers: Mapping[str, str] | None = None) -> httpx.Client:
        """An httpx client whose every request goes through this session's policy."""
        import httpx  # here, not at the top: every command imports this module, only collection needs httpx

        from osir_assets.sources.live.httpx_transport import PoliteTransport

        transport = PoliteTransport(self, httpx.HTTPTransport(), httpx)
        return httpx.Client(base_url=base_url, headers=dict(headers or {}), transport=transport, timeout=self.policy.timeout_seconds, follow_redirects=True)

    def send_with(self, request: Any, inner: Any, lib: Any) -> Any:
        """Run one httpx/httpx2 request through the policy; ``lib`` is the module (httpx or httpx2)."""
        timeout = self.policy.timeout_seconds
        request.extensions["timeout"] = {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}

        def send_once() -> Attempt:
            try:
                response = inner.handle_request(request)
                try:
                    response.read()
                finally:
                    response.close()
            except (lib.TransportError, lib.DecodingError) as exc:
                raise RetryableFault(type(exc).__name__) from None
            content_type = response.headers.get("content-type", "")
            return Attempt(response.status_code, response.headers, response.content, is_json="json" in content_type)

        attempt = self.exchange(request.method, str(request.url), send_once)
        # The body is already decoded: drop the headers that would make the client decode or size it again.
        stale = {"content-encoding", "content-length", "transfer-encoding"}
        headers = [(k, v) for k, v in attempt.headers.multi_items() if k.lower() not in stale]
        return lib.Response(attempt.status, headers=headers, content=attempt.body, request=request)


# ------------------------------------------------------------------------------------------- helpers


def pack_raw_responses(raw: Iterable[RawResponse]) -> bytes:
    """Gzipped JSON lines ``{"path", "status", "body"}`` (body as text): one file per month and platform."""
    lines = (
        json.dumps({"path": r.path, "status": r.status, "body": r.body.decode("utf-8", errors="replace")}, ensure_ascii=False)
        for r in raw
    )
    return gzip.compress("\n".join(lines).encode("utf-8"))


def metadata_from_stats(stats: Mapping[str, Any]) -> dict[str, Any]:
    """The stats without the raw bodies: what belongs in Dagster metadata."""
    return {k: v for k, v in stats.items() if k != "raw_responses"}


def ordered_accounts(accounts: pl.DataFrame, platform: str) -> list[dict[str, str]]:
    """The platform's accounts in registry order, each once: [{"account", "org"}]."""
    rows = (
        accounts.filter(pl.col("platform") == platform)
        .unique(subset="account", keep="first", maintain_order=True)
        .select("account", "org")
    )
    return rows.to_dicts()

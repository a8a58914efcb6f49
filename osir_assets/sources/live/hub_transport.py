"""Route huggingface_hub's HTTP traffic through a collection's ``PlatformSession``.

huggingface_hub 2.x sends every request through one process-wide ``httpx2.Client`` that it builds with a
client factory (``huggingface_hub.set_client_factory``). We install, once, a factory whose client has a
routing transport: a request made while a collection is active in the current context (a ``ContextVar``,
copied into worker threads by ``PlatformSession.run_all``) to the collection's endpoint is sent under that
collection's policy: pacing, retries, budget, counters, raw copies. Anything else goes straight through, as
with the library's default client: Hub traffic outside a collection, and the library's own side requests to
the public Hub (with telemetry on, it fetches ``/api/agent-harnesses`` once per process to build its
user agent; set ``HF_HUB_DISABLE_TELEMETRY=1`` to avoid that request).

Because our transport retries 429/5xx/timeouts itself and raises ``CollectionError`` when a fault outlasts
the policy, huggingface_hub's own backoff (``http_backoff``) only ever sees final answers.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from urllib.parse import urlsplit

import httpx2
from huggingface_hub.utils import set_client_factory

from osir_assets.sources.live.http import PlatformSession

_ACTIVE_SESSION: ContextVar[tuple[PlatformSession, tuple[str, str]] | None] = ContextVar("osir_hub_session", default=None)
_install_lock = threading.Lock()
_installed = False


class _RoutingTransport(httpx2.BaseTransport):
    def __init__(self) -> None:
        self._inner = httpx2.HTTPTransport()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        active = _ACTIVE_SESSION.get()
        if active is None or _origin(str(request.url)) != active[1]:
            return self._inner.handle_request(request)
        return active[0].send_with(request, self._inner, httpx2)

    def close(self) -> None:
        self._inner.close()


def _hub_request_hooks() -> list:
    # The library's own request hook adds a request id and enforces HF_HUB_OFFLINE; keep it when present.
    # It is not exported, hence the defensive lookup.
    from huggingface_hub.utils import _http

    hook = getattr(_http, "hf_request_event_hook", None)
    return [hook] if hook else []


def _client_factory() -> httpx2.Client:
    return httpx2.Client(
        transport=_RoutingTransport(),
        event_hooks={"request": _hub_request_hooks()},
        follow_redirects=True,
        timeout=None,  # the session sets a per-request timeout; outside a collection, the library default
    )


def install_hub_transport() -> None:
    """Make huggingface_hub use the routing client (idempotent; replacing the factory closes the old client)."""
    global _installed
    with _install_lock:
        if not _installed:
            set_client_factory(_client_factory)
            _installed = True


def bypassed(session: PlatformSession, expected_requests: bool) -> bool:
    """True when Hub calls were made but none reached the session: something else replaced the client
    factory (``set_client_factory``), and the policy did not apply."""
    return expected_requests and session.stats()["requests"] == 0


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.rsplit("@", 1)[-1].lower()


@contextlib.contextmanager
def hub_session(session: PlatformSession, endpoint: str) -> Iterator[PlatformSession]:
    """Within this block (and in worker threads started by ``session.run_all``), requests to ``endpoint`` use ``session``."""
    install_hub_transport()
    token = _ACTIVE_SESSION.set((session, _origin(endpoint)))
    try:
        yield session
    finally:
        _ACTIVE_SESSION.reset(token)

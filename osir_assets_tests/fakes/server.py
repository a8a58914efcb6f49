"""A small threaded HTTP server on 127.0.0.1 with fault injection and a simulated rate limit.

Each platform fake (``huggingface.py``, ``modelscope.py``...) is a function from ``FakeRequest`` to
``FakeResponse``; ``FakeServer`` serves it on a free port, records every request, and, before the handler
runs, applies:

* a fixed-window rate limit (N requests per window, 429 with ``Retry-After`` beyond it, and ``RateLimit`` /
  ``RateLimit-Policy`` headers, IETF draft style, on every answer), and
* injected faults, each matching a substring of the request target and firing a number of times:
  ``status`` (e.g. 500, or 429 with Retry-After), ``slow`` (answer after a delay, for client timeouts),
  ``truncate`` (half the JSON body, complete HTTP message), ``malformed`` (garbage JSON), ``drop``
  (declare the full length, send half, close: a broken connection).
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit


@dataclass
class FakeRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    base_url: str

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class FakeResponse:
    status: int = 200
    body: Any = None  # JSON-able value, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode("utf-8")


Handler = Callable[[FakeRequest], FakeResponse]


@dataclass
class Fault:
    kind: str  # status | slow | truncate | malformed | drop
    match: str = ""  # substring of "METHOD path?query body"; "" matches everything
    times: int = 1  # how many matching requests get it; -1 = all of them
    status: int = 500
    retry_after: str | None = None
    delay: float = 1.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class RateLimit:
    """Fixed windows counted from the server's start, like the Hub's "fixed window" policy."""

    limit: int
    window_seconds: float
    header_style: str = "ietf"  # ietf: RateLimit + RateLimit-Policy | legacy: RateLimit-Remaining/Reset | none
    _started: float = field(default_factory=time.monotonic)
    _counts: dict[int, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    rejected: int = 0

    def admit(self) -> tuple[bool, int, float]:
        """(allowed, remaining, seconds until the window resets)."""
        with self._lock:
            elapsed = time.monotonic() - self._started
            window = int(elapsed // self.window_seconds)
            reset = (window + 1) * self.window_seconds - elapsed
            used = self._counts.get(window, 0) + 1
            self._counts[window] = used
            allowed = used <= self.limit
            if not allowed:
                self.rejected += 1
            return allowed, max(0, self.limit - used), reset

    def headers(self, remaining: int, reset: float) -> dict[str, str]:
        reset_whole = str(max(1, math.ceil(reset)))
        if self.header_style == "ietf":
            return {
                "RateLimit": f'"default";r={remaining};t={reset_whole}',
                "RateLimit-Policy": f'"fixed window";"default";q={self.limit};w={self.window_seconds:g}',
            }
        if self.header_style == "legacy":
            return {"RateLimit-Limit": str(self.limit), "RateLimit-Remaining": str(remaining), "RateLimit-Reset": reset_whole}
        return {}

    def max_in_any_window(self) -> int:
        return max(self._counts.values(), default=0)


@dataclass
class Recorded:
    method: str
    target: str  # path?query
    headers: dict[str, str]
    status: int
    at: float


class FakeServer:
    def __init__(self, handler: Handler, *, rate_limit: RateLimit | None = None, faults: list[Fault] | None = None):
        self.handler = handler
        self.rate_limit = rate_limit
        self.faults: list[Fault] = list(faults or [])
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # -- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> "FakeServer":
        fake = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the real platforms; every answer has a length

            def do_GET(self):  # noqa: N802 (http.server naming)
                fake._serve(self)

            do_PUT = do_POST = do_DELETE = do_GET

            def log_message(self, format, *args):  # quiet
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self._httpd.daemon_threads = True  # a handler still sleeping in a "slow" fault must not block shutdown
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> "FakeServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- configuration --------------------------------------------------------------------------------

    def inject(self, kind: str, match: str = "", times: int = 1, **options: Any) -> Fault:
        fault = Fault(kind, match, times, **options)
        with self._lock:
            self.faults.append(fault)
        return fault

    def count(self, fragment: str = "") -> int:
        return sum(1 for r in self.requests if fragment in f"{r.method} {r.target}")

    # -- serving --------------------------------------------------------------------------------------

    def _take_fault(self, key: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.times != 0 and fault.match in key:
                    if fault.times > 0:
                        fault.times -= 1
                    return fault
        return None

    def _serve(self, http: BaseHTTPRequestHandler) -> None:
        length = int(http.headers.get("Content-Length") or 0)
        body = http.rfile.read(length) if length else b""
        parts = urlsplit(http.path)
        request = FakeRequest(
            method=http.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in http.headers.items()},
            body=body,
            base_url=self.url,
        )
        key = f"{http.command} {http.path} {body.decode('utf-8', errors='replace')}"
        extra: dict[str, str] = {}
        response: FakeResponse | None = None
        if self.rate_limit is not None:
            allowed, remaining, reset = self.rate_limit.admit()
            extra = self.rate_limit.headers(remaining, reset)
            if not allowed:
                response = FakeResponse(429, {"error": "rate limit exceeded"}, {"Retry-After": str(max(1, math.ceil(reset)))})
        fault = self._take_fault(key) if response is None else None
        if fault is not None and fault.kind == "status":
            headers = dict(fault.headers)
            if fault.retry_after is not None:
                headers["Retry-After"] = fault.retry_after
            response = FakeResponse(fault.status, {"error": f"injected {fault.status}"}, headers)
        if response is None:
            if fault is not None and fault.kind == "slow":
                time.sleep(fault.delay)
            try:
                response = self.handler(request)
            except Exception as exc:  # a bug in a fake shows as a 500 with the reason
                response = FakeResponse(500, {"error": f"fake handler failed: {exc!r}"})
        payload = response.payload()
        if fault is not None and fault.kind == "truncate":
            payload = payload[: max(1, len(payload) // 2)]
        if fault is not None and fault.kind == "malformed":
            payload = b'{"oops": [1, 2,, }'
        with self._lock:
            self.requests.append(Recorded(http.command, http.path, request.headers, response.status, time.monotonic()))
        try:
            http.send_response(response.status)
            headers = {"Content-Type": "application/json", **extra, **response.headers}
            for name, value in headers.items():
                http.send_header(name, value)
            if fault is not None and fault.kind == "drop":
                http.send_header("Content-Length", str(len(payload)))
                http.send_header("Connection", "close")
                http.end_headers()
                http.wfile.write(payload[: len(payload) // 2])
                http.wfile.flush()
                http.close_connection = True
                return
            http.send_header("Content-Length", str(len(payload)))
            http.end_headers()
            http.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            http.close_connection = True


def link_header(url: str, rel: str = "next") -> dict[str, str]:
    return {"Link": f'<{url}>; rel="{rel}"'}

"""The httpx transport of ``PlatformSession.httpx_client``: apart from http.py so that httpx is imported
only when a collection opens a client."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from osir_assets.sources.live.http import PlatformSession


class PoliteTransport(httpx.BaseTransport):
    """httpx transport that delegates each request to a ``PlatformSession``."""

    def __init__(self, session: PlatformSession, inner: Any, lib: Any):
        self._session, self._inner, self._lib = session, inner, lib

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._session.send_with(request, self._inner, self._lib)

    def close(self) -> None:
        self._inner.close()

    def __repr__(self) -> str:
        return f"PoliteTransport({self._session.platform})"

"""pytest fixtures: import them into a test module (``from osir_assets_tests.fakes.fixtures import serve``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Callable

import pytest

from osir_assets_tests.fakes.server import FakeServer, Handler, RateLimit


@pytest.fixture
def serve() -> Iterator[Callable[..., FakeServer]]:
    """``serve(handler, rate_limit=None)`` starts a fake on a free 127.0.0.1 port, stopped after the test."""
    started: list[FakeServer] = []

    def start(handler: Handler, rate_limit: RateLimit | None = None) -> FakeServer:
        server = FakeServer(handler, rate_limit=rate_limit).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()

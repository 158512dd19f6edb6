"""One routed test server for the framework tests (tests/extractors/framework_servers.py), reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.extractors.framework_servers import RoutedServer


@pytest.fixture(scope="session")
def running() -> Iterator[RoutedServer]:
    server = RoutedServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def server(running: RoutedServer) -> Iterator[RoutedServer]:
    running.reset()
    yield running
    running.reset()

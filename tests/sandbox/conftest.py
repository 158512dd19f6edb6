"""One sandbox for the whole module run; each test gets it back with the clock, faults and log reset."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from sandbox import Sandbox
from sandbox.world import World

AS_OF = date(2026, 11, 23)


@pytest.fixture(scope="session")
def running_sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=42, scale=1.0, as_of=AS_OF) as sb:
        yield sb


@pytest.fixture
def sb(running_sandbox: Sandbox) -> Iterator[Sandbox]:
    running_sandbox.timeout_seconds = 3.0
    yield running_sandbox
    running_sandbox.set_as_of(AS_OF)
    for server in ("meta", "shopify"):
        running_sandbox.clear_faults(server)  # a failed test must not leak faults into the next
        running_sandbox.reset_requests(server)


@pytest.fixture(scope="session")
def world(running_sandbox: Sandbox) -> World:
    """The sandbox's own world, so ground truth and HTTP answers share one cache."""
    return running_sandbox.world

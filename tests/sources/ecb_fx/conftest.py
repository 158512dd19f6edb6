"""Fixtures of the ECB tests: the sandbox's ECB world, and every connection pointed at the sandbox."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import set_connections


@pytest.fixture
def connections(sb: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every connection pointed at the sandbox (the ECB's lists CNY, USD and HKD)."""
    set_connections(monkeypatch, sb)
    return sb


@pytest.fixture(scope="session")
def ecb(world: Any) -> Any:
    """The sandbox world's ECB part (``sandbox.ecb_fx.world.EcbWorld``)."""
    return world.part("ecb_fx")

"""Fixtures shared by the per-source tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def marts_week(world: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built by dbt from one simulated week of every source (tests/dbt/week.py), once per session."""
    from tests.dbt.week import build_week_warehouse

    return build_week_warehouse(world, tmp_path_factory.mktemp("marts_week"))

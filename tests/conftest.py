"""Shared test set-up: every test runs against a private var/ folder, never the developer's own, and one
sandbox (a server for every declared source that has one) serves the whole session.

Connections reach the code under test through the same ``AIRFLOW_CONN_*`` env vars a deployment would use
(``tests.helpers.set_connections``), so credentials resolve exactly as they do in Airflow.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

# Airflow reads its home at import time; point it at a throw-away folder before anything imports it.
os.environ.setdefault("AIRFLOW_HOME", str(REPO_ROOT / "var" / "test-airflow-home"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(REPO_ROOT / "dags")

from tests.helpers import AS_OF  # noqa: E402 - after the Airflow environment above

DEFAULT_TIMEOUT_SECONDS = 3.0


@pytest.fixture
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh MW_VAR_DIR: landing, warehouse and serving files for this test only."""
    folder = tmp_path / "var"
    folder.mkdir()
    monkeypatch.setenv("MW_VAR_DIR", str(folder))
    return folder


def reset_sandbox(sandbox: Any) -> None:
    """Back to the session's state: clock at AS_OF, no armed fault, empty request logs, default stall."""
    sandbox.timeout_seconds = DEFAULT_TIMEOUT_SECONDS
    sandbox.set_as_of(AS_OF)
    sandbox.clear_faults()  # a test that failed early must not leave faults armed for the next one
    sandbox.reset_requests()


@pytest.fixture(scope="session")
def running_sandbox() -> Iterator[Any]:
    """Every sandbox server over one world (seed 42, scale 1, as of AS_OF), started once per session."""
    from sandbox import Sandbox

    with Sandbox(seed=42, scale=1.0, as_of=AS_OF) as sb:
        yield sb


@pytest.fixture
def sb(running_sandbox: Any) -> Iterator[Any]:
    """The shared sandbox, clean for this test and reset afterwards (clock, faults, request logs, stall)."""
    reset_sandbox(running_sandbox)
    yield running_sandbox
    reset_sandbox(running_sandbox)


@pytest.fixture(scope="session")
def world(running_sandbox: Any) -> Any:
    """The sandbox's own world, so ground truth and HTTP answers share one cache."""
    return running_sandbox.world


@pytest.fixture
def landing_root(tmp_path: Path) -> Path:
    root = tmp_path / "landing"
    root.mkdir()
    return root

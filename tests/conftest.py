"""Shared test set-up: every test runs against a private var/ folder, never the developer's own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

# Airflow reads its home at import time; point it at a throw-away folder before anything imports it.
os.environ.setdefault("AIRFLOW_HOME", str(REPO_ROOT / "var" / "test-airflow-home"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(REPO_ROOT / "dags")


@pytest.fixture
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh MW_VAR_DIR: landing, warehouse and serving files for this test only."""
    folder = tmp_path / "var"
    folder.mkdir()
    monkeypatch.setenv("MW_VAR_DIR", str(folder))
    return folder

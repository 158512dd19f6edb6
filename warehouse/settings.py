"""Where a run keeps its files.

Everything a run writes (Airflow home, landing files, the build warehouse and the serving file) lives under
one folder, `var/` in the repository by default, so nothing generated is ever committed. `MW_VAR_DIR`
moves it, which is how tests get a private, throw-away world.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
SUITES_DIR = REPO_ROOT / "expectations" / "suites"


def var_dir() -> Path:
    """Root of everything generated; read at call time so tests can point it elsewhere."""
    return Path(os.environ.get("MW_VAR_DIR", REPO_ROOT / "var")).resolve()


def landing_root() -> Path:
    return var_dir() / "landing"


def warehouse_path() -> Path:
    """The build warehouse: raw schema plus every dbt model. Only the pipeline opens it."""
    return var_dir() / "warehouse" / "warehouse.duckdb"


def serving_path() -> Path:
    """The file BI tools open read-only; replaced atomically by publish, never written in place."""
    return var_dir() / "warehouse" / "serving.duckdb"


def airflow_home() -> Path:
    return var_dir() / "airflow"

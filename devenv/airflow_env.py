"""The environment under which the embedded default runs Airflow: SQLite metadata under var/, this repo's
DAG folder, and connections pointing at the sandbox servers (``Sandbox.connections()``).

Used by `make run`, the end-to-end tests and the benchmarks, so all three run the DAG the same way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from extractors.connections import env_var_name
from warehouse import settings

DAG_ID = "marketing_daily"


def airflow_environment(
    connections: dict[str, dict[str, Any]], *, base: dict[str, str] | None = None
) -> dict[str, str]:
    """Environment for Airflow subprocesses, with ``connections`` (conn id -> JSON form) as AIRFLOW_CONN_*.

    The sandbox's tokens are not secrets; real ones come from Airflow Connections or a secrets backend. The
    PII hashing secret among ``connections`` (``pii_hashing``) is one: it reaches Airflow through this
    environment only, and nothing here prints the environment.
    """
    env = dict(os.environ if base is None else base)
    home = settings.airflow_home()
    env.update(
        {
            "MW_VAR_DIR": str(settings.var_dir()),
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(settings.REPO_ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            # Two cores: keep Airflow from starting more work than the machine can run.
            "AIRFLOW__CORE__PARALLELISM": "4",
        }
    )
    env.update(connection_variables(connections))
    return env


def connection_variables(connections: dict[str, dict[str, Any]]) -> dict[str, str]:
    """``AIRFLOW_CONN_<ID>`` variables for connections given as Airflow's JSON form."""
    return {env_var_name(conn_id): json.dumps(value) for conn_id, value in connections.items()}


def airflow_bin() -> str:
    return str(Path(sys.executable).with_name("airflow"))


def ensure_metadata_db(env: dict[str, str]) -> None:
    """Create the SQLite metadata database and the writer pool once; both are idempotent but slow."""
    marker = Path(env["AIRFLOW_HOME"]) / ".mw-initialised"
    if marker.exists():
        return
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    for args in (["db", "migrate"], ["pools", "set", "duckdb_writer", "1", "single DuckDB writer"]):
        subprocess.run([airflow_bin(), *args], env=env, check=True, capture_output=True)
    marker.touch()


def dags_test(
    env: dict[str, str],
    logical_date: str,
    conf: dict | None = None,
    log_path: Path | None = None,
    *,
    dag_id: str = DAG_ID,
) -> subprocess.CompletedProcess[str]:
    """One run of ``dag_id`` through Airflow (`airflow dags test`); its log goes to log_path."""
    cmd = [airflow_bin(), "dags", "test", dag_id, logical_date]
    if conf:
        cmd += ["-c", json.dumps(conf)]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text(result.stdout + result.stderr)
    return result

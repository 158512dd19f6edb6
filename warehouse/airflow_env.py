"""The environment under which the embedded default runs Airflow: SQLite metadata under var/, this repo's
DAG folder, and connections pointing at the sandbox servers.

Used by `make run`, the end-to-end tests and the benchmarks, so all three run the DAG the same way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from warehouse import settings

DAG_ID = "marketing_daily"


def airflow_environment(meta_url: str, shopify_url: str, *, base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for Airflow subprocesses. Sandbox tokens are not secrets; real ones come from Connections."""
    from sandbox import credentials

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
            "AIRFLOW_CONN_META_ADS": json.dumps(
                {
                    "conn_type": "http",
                    "host": meta_url,
                    "password": credentials.META_ACCESS_TOKEN,
                    "extra": {"account_ids": ["act_1001", "act_2002"], "api_version": "v21.0"},
                }
            ),
            "AIRFLOW_CONN_SHOPIFY": json.dumps(
                {
                    "conn_type": "http",
                    "host": shopify_url,
                    "password": credentials.SHOPIFY_ACCESS_TOKEN,
                    "extra": {"shop": "sandbox-shop", "api_version": "2025-01"},
                }
            ),
        }
    )
    return env


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
    env: dict[str, str], logical_date: str, conf: dict | None = None, log_path: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """One DAG run through Airflow (`airflow dags test`); its log goes to log_path."""
    cmd = [airflow_bin(), "dags", "test", DAG_ID, logical_date]
    if conf:
        cmd += ["-c", json.dumps(conf)]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text(result.stdout + result.stderr)
    return result

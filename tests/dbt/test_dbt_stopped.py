"""A dbt build whose task is stopped takes dbt down with it, whether the task is asked to stop (Airflow raises
inside the task on SIGTERM) or killed outright (SIGKILL): nothing keeps writing to the warehouse behind the
next run's back."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.dbt import raw_fixtures as raw

# The task's process: like Airflow's task runner, a SIGTERM raises inside the running code.
TASK = """
import signal, sys
from pathlib import Path

import pytest
from warehouse.dbt_build import run_dbt_build

def stop(signum, frame):
    raise SystemExit("task stopped")

signal.signal(signal.SIGTERM, stop)
print("building", flush=True)
run_dbt_build(Path(sys.argv[1]), artifacts_dir=Path(sys.argv[2]))
"""


def dbt_processes(marker: str) -> list[str]:
    out = subprocess.run(["ps", "-eww", "-o", "pid,args"], capture_output=True, text=True, check=True).stdout
    # dbt's own command line (not this test's task, whose arguments name the same folder).
    return [line for line in out.splitlines() if marker in line and "--target-path" in line and " build " in line]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_stopping_the_task_stops_its_dbt_build(tmp_path: Path, stop: signal.Signals) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    raw.build_raw_warehouse(warehouse)
    artifacts = tmp_path / "dbt-artifacts"
    task = subprocess.Popen(
        [sys.executable, "-c", TASK, str(warehouse), str(artifacts)], stdout=subprocess.PIPE, text=True
    )
    assert task.stdout is not None and task.stdout.readline().strip() == "building"
    deadline = time.monotonic() + 30
    while not dbt_processes(str(artifacts)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert dbt_processes(str(artifacts)), "dbt did not start"
    task.send_signal(stop)
    assert task.wait(timeout=30) != 0
    deadline = time.monotonic() + 10
    while dbt_processes(str(artifacts)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert dbt_processes(str(artifacts)) == []

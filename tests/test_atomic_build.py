"""A dbt build killed half-way is never published: every mart must carry the stamp of the latest build, and
that build must have built every model and passed (rule ``build_complete``).

Real parts throughout: dbt builds the hand-made raw layer of tests/dbt/raw_fixtures.py into a real DuckDB
file, the marts' post-hook stamps ``_pipeline.mart_builds``, and publish writes a real serving file. A build
killed after its first mart is made deterministic by a real build of that mart alone (``--select``), whose
record is then set back to what a killed build leaves (``running``, never finished); one test kills a real
build's task outright.
"""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from expectations.runner import ValidationFailed
from tests.dbt import raw_fixtures as raw
from warehouse import pipeline, settings
from warehouse.dbt_build import BuildIncomplete, check_build_complete, run_dbt_build
from warehouse.publish import publish_marts
from warehouse.settings import DBT_PROJECT_DIR

# Every mart the project builds: each .sql under models/marts/.
MARTS = sorted(path.stem for path in (DBT_PROJECT_DIR / "models" / "marts").rglob("*.sql"))
FIRST_MART = "ad_performance_daily"  # nothing in marts comes before it (ad_spend_daily is built from it)
OTHER_MARTS = [mart for mart in MARTS if mart != FIRST_MART]
INTERVAL = {"data_interval_start": date(2026, 11, 5), "data_interval_end": date(2026, 11, 6)}


@dataclass(frozen=True)
class Built:
    warehouse: Path
    artifacts: Path
    build_id: str


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stamps(warehouse: Path) -> dict[str, str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("select schema_name, model_name, build_id from _pipeline.mart_builds").fetchall()
    finally:
        con.close()
    assert {schema for schema, _, _ in rows} == {"marts"}
    return {model: build for _, model, build in rows}


def builds(warehouse: Path) -> list[tuple]:
    """(build_id, status, selection, finished) of every recorded build, oldest first."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            "select build_id, status, selection, finished_at is not null from _pipeline.builds order by started_at"
        ).fetchall()
    finally:
        con.close()


def copy_warehouse(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "warehouse.duckdb"
    shutil.copy(source, target)
    return target


def publish(warehouse: Path, serving: Path, run_id: str):
    return publish_marts(warehouse, serving, run_id=run_id, **INTERVAL)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """One full build of every model, as the daily pipeline runs it (no unit tests)."""
    folder = tmp_path_factory.mktemp("atomic_build")
    warehouse = folder / "warehouse.duckdb"
    raw.build_raw_warehouse(warehouse)
    result = run_dbt_build(warehouse, unit_tests=False, artifacts_dir=folder / "dbt")
    return Built(warehouse, folder / "dbt", result.build_id)


@pytest.fixture(scope="module")
def partial(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The full build, then a real build of the first mart alone: the other marts keep the first build's stamp."""
    warehouse = copy_warehouse(built.warehouse, tmp_path_factory.mktemp("partial"))
    result = run_dbt_build(warehouse, select=FIRST_MART, unit_tests=False, artifacts_dir=built.artifacts)
    return Built(warehouse, built.artifacts, result.build_id)


@pytest.fixture(scope="module")
def killed(partial: Built, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """What a full build killed right after its first mart leaves: that mart stamped, the build `running`."""
    warehouse = copy_warehouse(partial.warehouse, tmp_path_factory.mktemp("killed"))
    con = duckdb.connect(str(warehouse))
    con.execute(
        "update _pipeline.builds set status = 'running', finished_at = null, selection = null, "
        "dbt_invocation_id = null where build_id = $id",
        {"id": partial.build_id},
    )
    con.close()
    return Built(warehouse, partial.artifacts, partial.build_id)


@pytest.fixture
def serving(built: Built, tmp_path: Path) -> Path:
    """A serving file published from the complete build: what BI reads before the next run."""
    path = tmp_path / "serving" / "serving.duckdb"
    publication = publish(built.warehouse, path, "yesterday")
    assert publication.build_id == built.build_id
    return path


def test_a_full_build_is_recorded_and_stamps_every_mart(built: Built) -> None:
    assert builds(built.warehouse) == [(built.build_id, "succeeded", None, True)]
    assert stamps(built.warehouse) == dict.fromkeys(MARTS, built.build_id)
    con = duckdb.connect(str(built.warehouse), read_only=True)
    try:
        assert check_build_complete(con) == built.build_id
    finally:
        con.close()


def test_a_partial_build_is_not_published(partial: Built, built: Built, serving: Path) -> None:
    before = sha256(serving)
    assert builds(partial.warehouse) == [
        (built.build_id, "succeeded", None, True),
        (partial.build_id, "succeeded", FIRST_MART, True),
    ]
    assert stamps(partial.warehouse) == {FIRST_MART: partial.build_id, **dict.fromkeys(OTHER_MARTS, built.build_id)}
    with pytest.raises(BuildIncomplete) as refused:
        publish(partial.warehouse, serving, "today")
    message = str(refused.value)
    assert message.startswith("rule=build_complete: ")
    assert f"the latest build {partial.build_id} built only --select ad_performance_daily, not every model" in message
    assert refused.value.stale == dict.fromkeys(OTHER_MARTS, built.build_id)
    assert sha256(serving) == before
    assert sorted(p.name for p in serving.parent.iterdir()) == ["serving.duckdb"]


def test_a_build_killed_after_its_first_mart_is_refused_and_serving_stays_byte_identical(
    killed: Built, built: Built, serving: Path
) -> None:
    before = sha256(serving)
    with pytest.raises(BuildIncomplete) as refused:
        publish(killed.warehouse, serving, "today")
    message = str(refused.value)
    assert message.startswith("rule=build_complete: the marts of 'build' are not all from one complete dbt build: ")
    assert f"the latest build {killed.build_id} (started " in message
    assert "finished never (killed, or still running)) has status running" in message
    stale = ", ".join(f"{mart} (build {built.build_id})" for mart in OTHER_MARTS)
    assert f"marts not written by build {killed.build_id}: {stale}" in message
    assert refused.value.rule == "build_complete"
    assert refused.value.status == "running"
    assert refused.value.build_id == killed.build_id
    assert sorted(refused.value.stale) == OTHER_MARTS
    assert sha256(serving) == before
    assert sorted(p.name for p in serving.parent.iterdir()) == ["serving.duckdb"]


def test_the_mart_checks_refuse_a_killed_build_too(
    killed: Built, var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_warehouse(killed.warehouse, settings.warehouse_path().parent)
    with pytest.raises(ValidationFailed, match=r"^rule=build_complete: .* has status running") as refused:
        pipeline.validate_built_marts(run_id="today", interval_start=date(2026, 11, 5), interval_end=date(2026, 11, 6))
    assert isinstance(refused.value.__cause__, BuildIncomplete)
    assert refused.value.__cause__.stale.keys() == set(OTHER_MARTS)


def test_after_a_complete_rebuild_the_marts_are_published(killed: Built, serving: Path, tmp_path: Path) -> None:
    warehouse = copy_warehouse(killed.warehouse, tmp_path / "rebuilt")
    result = run_dbt_build(warehouse, unit_tests=False, artifacts_dir=killed.artifacts)
    assert [row[1:] for row in builds(warehouse)] == [
        ("succeeded", None, True),
        ("running", None, False),
        ("succeeded", None, True),
    ]
    assert stamps(warehouse) == dict.fromkeys(MARTS, result.build_id)
    before = sha256(serving)
    publication = publish(warehouse, serving, "today")
    assert publication.build_id == result.build_id
    assert sorted(publication.tables) == MARTS
    assert sha256(serving) != before
    con = duckdb.connect(str(serving), read_only=True)
    try:
        assert con.execute("select run_id, build_id from _pipeline.publication").fetchall() == [
            ("today", result.build_id)
        ]
    finally:
        con.close()


# The task's process, as in tests/dbt/test_dbt_stopped.py: it builds until it is killed.
TASK = """
import sys
from pathlib import Path
from warehouse.dbt_build import run_dbt_build

run_dbt_build(Path(sys.argv[1]), unit_tests=False, artifacts_dir=Path(sys.argv[2]))
"""


def test_a_task_killed_mid_build_leaves_a_running_build_that_publish_refuses(
    built: Built, serving: Path, tmp_path: Path
) -> None:
    warehouse = copy_warehouse(built.warehouse, tmp_path / "build")
    artifacts = tmp_path / "dbt"
    log = artifacts / "logs" / "dbt.log"
    task = subprocess.Popen([sys.executable, "-c", TASK, str(warehouse), str(artifacts)])
    first_mart = None
    deadline = time.monotonic() + 120
    while first_mart is None and task.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
        text = log.read_text() if log.exists() else ""
        for line in text.splitlines():
            if " OK created sql " in line and " model marts." in line:
                first_mart = line.split(" model marts.", 1)[1].split()[0]
                break
    assert first_mart in MARTS, "no mart was built before the deadline"
    task.send_signal(signal.SIGKILL)  # Airflow's last resort: nothing in the task runs after this
    assert task.wait(timeout=30) == -signal.SIGKILL
    # dbt dies with its task (PR_SET_PDEATHSIG); wait until it has let go of the file.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            duckdb.connect(str(warehouse)).close()
            break
        except duckdb.IOException:
            time.sleep(0.1)

    (_, old), (new_build, new) = [(row[0], row[1:]) for row in builds(warehouse)]
    assert old == ("succeeded", None, True)
    assert new == ("running", None, False)
    assert stamps(warehouse)[first_mart] == new_build
    before = sha256(serving)
    with pytest.raises(BuildIncomplete, match=r"^rule=build_complete: .* has status running") as refused:
        publish(warehouse, serving, "today")
    assert refused.value.build_id == new_build
    assert first_mart not in refused.value.stale
    assert sha256(serving) == before

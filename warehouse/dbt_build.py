"""Run `dbt build` on a warehouse file and turn its outcome into a result or one clear exception.

dbt runs as a subprocess of this environment's dbt (not in-process: dbt keeps global state and its own
logging), against the DuckDB file given, with its target/ and logs/ kept under var/ so nothing generated
lands in the project. `dbt build` runs seeds, models, data tests and unit tests in DAG order; every node
that failed is named in the exception, with a test's failure count and, for tests that store their
failures (FX and reconciliation tests), the first offending rows, so "no FX rate for XYZ" is in the
message rather than in a table nobody opens.

Every build is recorded in the build warehouse's `_pipeline.builds` before dbt starts (status `running`) and
marked `succeeded` only once dbt's run_results show every node passed (`failed` when it did not, or when the
task was stopped); each mart model stamps `_pipeline.mart_builds` with that build's id in its own
transaction (dbt_project/macros/stamp_build.sql). `check_build_complete` reads the two: a build killed half-way
leaves a `running` build and a mix of stamps, which publish and the mart checks refuse.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from warehouse.dbt_child import PARENT_PID_VARIABLE
from warehouse.settings import DBT_PROJECT_DIR, var_dir

FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})
# The pipeline's own bookkeeping in the build warehouse: which seed files the seed tables were built from.
SEEDS_STATE_TABLE = "_pipeline.seeds_loaded"
# Every build run_dbt_build started: id, started_at, finished_at, status, selection (null: every model).
BUILDS_TABLE = "_pipeline.builds"
# Which build last wrote each mart (schema_name, model_name, build_id, built_at), written by the marts'
# post-hook; the table itself is created by the project's on-run-start hook (macros/stamp_build.sql).
MART_BUILDS_TABLE = "_pipeline.mart_builds"
# How the hook learns the id of the build it belongs to.
BUILD_ID_VARIABLE = "MW_BUILD_ID"
MARTS_SCHEMA = "marts"
BUILD_COMPLETE_RULE = "build_complete"
SAMPLE_ROWS = 5


@dataclass(frozen=True)
class NodeFailure:
    """One node of the build that did not pass."""

    unique_id: str
    resource_type: str
    name: str
    status: str
    message: str
    failures: int | None = None
    sample_rows: list[dict[str, Any]] = field(default_factory=list)

    def describe(self) -> str:
        text = f"{self.resource_type} {self.name} [{self.status}]"
        if self.resource_type == "test" and self.failures is not None:
            text += f": {self.failures} failing row(s)"
        if self.message:
            text += f" - {self.message.strip()}"
        for row in self.sample_rows:
            text += "\n      " + ", ".join(f"{key}={value}" for key, value in row.items())
        return text


class DbtBuildFailed(RuntimeError):
    """dbt build did not pass; `failures` lists every node that errored or failed."""

    def __init__(self, message: str, failures: list[NodeFailure] | None = None) -> None:
        super().__init__(message)
        self.failures = failures or []


@dataclass(frozen=True)
class DbtBuildResult:
    seconds: float  # wall-clock time of the dbt process
    # (resource_type -> count) of nodes dbt ran: seed, model, test, unit_test.
    node_counts: dict[str, int]
    # (status -> count): success, pass, warn, skipped, ...
    status_counts: dict[str, int]
    warnings: list[str]
    run_results_path: Path
    build_id: str  # the row of _pipeline.builds this build recorded, and the stamp its marts carry
    dbt_invocation_id: str | None  # dbt's own id of the run, in its logs and run_results


class BuildIncomplete(RuntimeError):
    """The marts are not all from the latest build, or that build did not finish as a full, passing build.

    ``stale`` maps each mart the latest build did not write to the build that did (None: no stamp at all).
    """

    rule = BUILD_COMPLETE_RULE

    def __init__(self, message: str, *, build_id: str | None, status: str | None, stale: dict[str, str | None]) -> None:
        super().__init__(message)
        self.build_id = build_id
        self.status = status
        self.stale = stale


def default_artifacts_dir() -> Path:
    """Where dbt's target/ and logs/ go: var/dbt under the repository (or under MW_VAR_DIR)."""
    return var_dir() / "dbt"


def run_dbt_build(
    warehouse_path: Path,
    *,
    select: str | None = None,
    unit_tests: bool = True,
    full_refresh: bool = False,
    vars: dict[str, Any] | None = None,
    artifacts_dir: Path | None = None,
    project_dir: Path = DBT_PROJECT_DIR,
) -> DbtBuildResult:
    """`dbt build` the project against `warehouse_path`; raise DbtBuildFailed naming each failed node.

    ``full_refresh=True`` rebuilds incremental models from all of raw instead of the windows loaded since
    their last build. ``unit_tests=False`` leaves dbt's unit tests out: they check the models' logic on
    fixed inputs, so they belong to the test suite and CI (`make test` runs them), not to every daily
    build on real data.

    The build is recorded in `_pipeline.builds` before dbt starts and marked succeeded only when every node
    passed. A build with ``select`` is recorded as partial: its marts' stamps differ from the others', so
    nothing is published until a build of every model has passed (`check_build_complete`).
    """
    warehouse_path = Path(warehouse_path).resolve()
    artifacts = Path(artifacts_dir or default_artifacts_dir()).resolve()
    target_path = artifacts / "target"
    log_path = artifacts / "logs"
    target_path.mkdir(parents=True, exist_ok=True)
    log_path.mkdir(parents=True, exist_ok=True)
    run_results_path = target_path / "run_results.json"
    # A stale file from an earlier build must never be read as this build's outcome.
    run_results_path.unlink(missing_ok=True)

    command = [
        # This interpreter's dbt (the pinned one), in a child that dies with this process.
        sys.executable,
        "-m",
        "warehouse.dbt_child",
        "--no-use-colors",
        "--no-send-anonymous-usage-stats",
        "--no-version-check",
        # dbt's debug file log writes every statement of all ~400 nodes (10 MB a daily build, ~1.5 s of it);
        # the compiled SQL is in the target folder and failures in run_results.json and the task log anyway.
        "--log-level-file",
        "info",
        "build",
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(target_path),
        "--log-path",
        str(log_path),
    ]
    if select:
        # Only the tests whose every parent this build makes: a staging model built alone must not run the
        # reconciliation against marts it did not build.
        command += ["--select", select, "--indirect-selection", "cautious"]
    if full_refresh:
        command.append("--full-refresh")
    excluded = [] if unit_tests else ["unit_test"]
    seeds = _seeds_digest(project_dir)
    if _loaded_seeds_digest(warehouse_path) == seeds:
        # The seed tables already hold these exact files: reloading them every day is wasted work.
        excluded.append("seed")
    if excluded:
        command += ["--exclude-resource-type", *excluded]
    if vars:
        command += ["--vars", json.dumps(vars)]
    build_id = start_build_record(warehouse_path, selection=select, full_refresh=full_refresh)
    env = {
        **os.environ,
        "MW_WAREHOUSE_PATH": str(warehouse_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        PARENT_PID_VARIABLE: str(os.getpid()),
        BUILD_ID_VARIABLE: build_id,
    }
    try:
        result = _build(command, project_dir, env, warehouse_path, run_results_path, build_id, seeds)
    except BaseException:
        # A failed node, or the task being stopped (dbt's process group is gone by now). Best effort: a row
        # left `running` is refused by publish just the same.
        with contextlib.suppress(duckdb.Error):
            finish_build_record(warehouse_path, build_id, "failed")
        raise
    finish_build_record(warehouse_path, build_id, "succeeded", dbt_invocation_id=result.dbt_invocation_id)
    return result


def _build(
    command: list[str],
    project_dir: Path,
    env: dict[str, str],
    warehouse_path: Path,
    run_results_path: Path,
    build_id: str,
    seeds: str,
) -> DbtBuildResult:
    """Run dbt and turn its run_results into a result, or DbtBuildFailed naming each failed node."""
    started = time.monotonic()
    completed = _run_in_own_group(command, cwd=project_dir, env=env)
    elapsed = time.monotonic() - started

    if not run_results_path.exists():
        # dbt stopped before running anything: bad project, profile or arguments (exit code 2).
        raise DbtBuildFailed(
            f"dbt build failed before running any node (exit code {completed.returncode}):\n"
            + _tail(completed.stdout + completed.stderr)
        )
    run_results = json.loads(run_results_path.read_text())
    results = run_results["results"]
    failures = [_failure(result, warehouse_path) for result in results if result["status"] in FAILED_STATUSES]
    counts = Counter(_resource_type(result["unique_id"]) for result in results)
    statuses = Counter(result["status"] for result in results)
    if failures or completed.returncode != 0:
        skipped = statuses.get("skipped", 0)
        lines = [
            f"dbt build failed: {len(failures)} node(s) failed, {skipped} skipped "
            f"(exit code {completed.returncode}, {elapsed:.1f}s):"
        ]
        lines += [f"  - {failure.describe()}" for failure in failures]
        if not failures:
            lines.append(_tail(completed.stdout + completed.stderr))
        raise DbtBuildFailed("\n".join(lines), failures)
    if counts.get("seed"):
        _record_seeds_digest(warehouse_path, seeds)
    warnings = [
        f"{_resource_type(r['unique_id'])} {r['unique_id'].split('.')[2]}: {r.get('message') or ''}".strip()
        for r in results
        if r["status"] == "warn"
    ]
    return DbtBuildResult(
        seconds=elapsed,
        node_counts=dict(counts),
        status_counts=dict(statuses),
        warnings=warnings,
        run_results_path=run_results_path,
        build_id=build_id,
        dbt_invocation_id=run_results.get("metadata", {}).get("invocation_id"),
    )


def _run_in_own_group(command: list[str], *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run dbt in a process group of its own, and take the whole group down if this task is stopped.

    When Airflow kills a task (a timeout, a mark-failed, a SIGTERM), the exception it raises here must not
    leave dbt and its children writing to the warehouse behind the next run's back.
    """
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate()
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def start_build_record(warehouse_path: Path, *, selection: str | None, full_refresh: bool) -> str:
    """Record a build as `running` in the warehouse's _pipeline.builds and return its new id."""
    build_id = str(uuid.uuid4())
    warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse_path))
    try:
        con.execute(f"create schema if not exists {BUILDS_TABLE.split('.')[0]}")
        con.execute(
            f"create table if not exists {BUILDS_TABLE} ("
            "build_id varchar primary key, started_at timestamptz not null, finished_at timestamptz, "
            "status varchar not null, selection varchar, full_refresh boolean not null, dbt_invocation_id varchar)"
        )
        con.execute(
            f"insert into {BUILDS_TABLE} (build_id, started_at, status, selection, full_refresh) "
            "values ($id, $now, 'running', $selection, $full_refresh)",
            {"id": build_id, "now": datetime.now(UTC), "selection": selection, "full_refresh": full_refresh},
        )
    finally:
        con.close()
    return build_id


def finish_build_record(
    warehouse_path: Path, build_id: str, status: str, *, dbt_invocation_id: str | None = None
) -> None:
    """Mark a recorded build `succeeded` or `failed`."""
    con = duckdb.connect(str(warehouse_path))
    try:
        con.execute(
            f"update {BUILDS_TABLE} set status = $status, finished_at = $now, dbt_invocation_id = $invocation "
            "where build_id = $id",
            {"status": status, "now": datetime.now(UTC), "invocation": dbt_invocation_id, "id": build_id},
        )
    finally:
        con.close()


def check_build_complete(con: duckdb.DuckDBPyConnection, *, database: str | None = None) -> str:
    """The id of the build every mart came from; BuildIncomplete unless the marts are one complete build.

    Complete means: the latest build recorded in _pipeline.builds (no build started after it) built every
    model (no ``select``) and succeeded, and every table of the marts schema carries that build's stamp in
    _pipeline.mart_builds. A build killed half-way leaves itself `running` and the marts it had not reached
    stamped by the build before. ``database`` names an attached warehouse; by default, the connection's own.
    """
    catalog = database or str(con.execute("select current_database()").fetchone()[0])  # type: ignore[index]
    prefix = f'"{catalog}".'
    where = f"{catalog!r}" if database else "the build warehouse"
    existing = {
        f"{schema}.{table}"
        for schema, table in con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = $db", {"db": catalog}
        ).fetchall()
    }
    marts = sorted(table.split(".", 1)[1] for table in existing if table.split(".", 1)[0] == MARTS_SCHEMA)
    head = f"rule={BUILD_COMPLETE_RULE}: the marts of {where} are not all from one complete dbt build"
    remedy = "run the dbt build (warehouse.pipeline.build_marts) to the end, then publish"
    latest = None
    if BUILDS_TABLE in existing:
        latest = con.execute(
            f"select build_id, status, selection, started_at, finished_at from {prefix}{BUILDS_TABLE} "
            "order by started_at desc limit 1"
        ).fetchone()
    if latest is None:
        raise BuildIncomplete(
            f"{head}: no build is recorded in {BUILDS_TABLE}; {remedy}",
            build_id=None,
            status=None,
            stale=dict.fromkeys(marts),
        )
    build_id, status, selection, started_at, finished_at = latest
    stamps: dict[str, str] = {}
    if MART_BUILDS_TABLE in existing:
        stamps = dict(
            con.execute(
                f"select model_name, build_id from {prefix}{MART_BUILDS_TABLE} where schema_name = $s",
                {"s": MARTS_SCHEMA},
            ).fetchall()
        )
    stale = {mart: stamps.get(mart) for mart in marts if stamps.get(mart) != build_id}
    gone = sorted(model for model, stamp in stamps.items() if stamp == build_id and model not in marts)
    problems = []
    if status != "succeeded":
        finished = _when(finished_at) if finished_at else "never (killed, or still running)"
        problems.append(
            f"the latest build {build_id} (started {_when(started_at)}, finished {finished}) has status {status}"
        )
    if selection is not None:
        problems.append(f"the latest build {build_id} built only --select {selection}, not every model")
    if stale:
        problems.append(
            f"marts not written by build {build_id}: "
            + ", ".join(f"{mart} ({f'build {stamp}' if stamp else 'no build stamp'})" for mart, stamp in stale.items())
        )
    if gone:
        problems.append(f"marts build {build_id} wrote that are gone from schema {MARTS_SCHEMA}: {', '.join(gone)}")
    if problems:
        raise BuildIncomplete(
            f"{head}: " + "; ".join(problems) + f"; {remedy}", build_id=build_id, status=status, stale=stale
        )
    return str(build_id)


def _when(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _seeds_digest(project_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted((project_dir / "seeds").rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(project_dir).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _loaded_seeds_digest(warehouse_path: Path) -> str | None:
    """The digest of the seed files the warehouse's seed tables were last built from, if recorded."""
    if not warehouse_path.exists():
        return None
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        row = con.execute(f"select digest from {SEEDS_STATE_TABLE}").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return str(row[0]) if row else None


def _record_seeds_digest(warehouse_path: Path, digest: str) -> None:
    con = duckdb.connect(str(warehouse_path))
    try:
        con.execute(f"create schema if not exists {SEEDS_STATE_TABLE.split('.')[0]}")
        con.execute(f"create or replace table {SEEDS_STATE_TABLE} as select $digest as digest", {"digest": digest})
    finally:
        con.close()


def _resource_type(unique_id: str) -> str:
    return unique_id.split(".", 1)[0]


def _failure(result: dict[str, Any], warehouse_path: Path) -> NodeFailure:
    unique_id = result["unique_id"]
    resource_type = _resource_type(unique_id)
    # unique_id is <type>.<project>.<name>[.<hash>]; unit tests are <type>.<project>.<model>.<name>.
    parts = unique_id.split(".")
    name = ".".join(parts[2:4]) if resource_type == "unit_test" else parts[2]
    failures = result.get("failures")
    sample: list[dict[str, Any]] = []
    relation = result.get("relation_name")
    if resource_type == "test" and result["status"] == "fail" and relation:
        sample = _sample_rows(warehouse_path, relation)
    return NodeFailure(
        unique_id=unique_id,
        resource_type=resource_type,
        name=name,
        status=result["status"],
        message=result.get("message") or "",
        failures=failures if isinstance(failures, int) else None,
        sample_rows=sample,
    )


def _sample_rows(warehouse_path: Path, relation: str) -> list[dict[str, Any]]:
    """The first failing rows a test stored; best effort, a failure message never depends on it."""
    try:
        con = duckdb.connect(str(warehouse_path), read_only=True)
    except duckdb.Error:
        return []
    try:
        cursor = con.execute(f"select * from {relation} limit {SAMPLE_ROWS}")
        columns = [description[0] for description in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    except duckdb.Error:
        return []
    finally:
        con.close()


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])

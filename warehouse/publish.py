"""Publish audited marts to the serving file in one atomic step (write-audit-publish).

The serving DuckDB file is never written in place: a complete new file is built beside it from the
audited marts of the build warehouse, flushed to disk, and renamed over the old one. A reader that opened
the old file keeps reading it whole; a reader that opens after the rename sees the new day whole; a run
that fails before this step leaves the serving file byte for byte as it was.

Only one complete build is published: unless the latest dbt build of the warehouse built every model and
passed, and every mart carries that build's stamp (`warehouse.dbt_build.check_build_complete`), publish
raises BuildIncomplete (rule `build_complete`) naming the stale marts, and the serving file is not touched.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from warehouse.dbt_build import check_build_complete

log = logging.getLogger(__name__)

MARTS_SCHEMA = "marts"
PUBLICATION_SCHEMA = "_pipeline"
PUBLICATION_TABLE = f"{PUBLICATION_SCHEMA}.publication"


@dataclass(frozen=True)
class Publication:
    serving_path: Path
    run_id: str
    tables: dict[str, int]  # mart name -> rows
    build_id: str  # the dbt build (warehouse _pipeline.builds) every published mart came from


def publish_marts(
    warehouse: Path, serving: Path, *, run_id: str, data_interval_start: date, data_interval_end: date
) -> Publication:
    """Copy every table of the warehouse's marts schema into a fresh serving file and swap it in.

    Raises BuildIncomplete, before the serving file is touched, unless every mart is from the latest build
    and that build built every model and passed.
    """
    serving.parent.mkdir(parents=True, exist_ok=True)
    staging = serving.with_name(f".{serving.name}.{_safe(run_id)}.tmp")
    staging_wal = Path(f"{staging}.wal")
    # A run killed mid-publish leaves these; a stale WAL would be replayed into the fresh file.
    staging.unlink(missing_ok=True)
    staging_wal.unlink(missing_ok=True)
    try:
        build_id, tables = _write_serving_copy(warehouse, staging, run_id, data_interval_start, data_interval_end)
        _fsync(staging)
        _check_opens(staging, run_id, tables)
        # A WAL beside the serving file (left by someone who opened it for writing and crashed) belongs to
        # the old file; DuckDB would replay it into the new one, and every reader would then fail to open.
        Path(f"{serving}.wal").unlink(missing_ok=True)
        os.replace(staging, serving)
        _fsync(serving.parent)
    finally:
        staging.unlink(missing_ok=True)
        staging_wal.unlink(missing_ok=True)
    # Success means a BI tool can open what was published: open it the way one does, read-only, from a
    # process of its own (this one may hold the old file open, and DuckDB shares one instance per path).
    _check_opens_elsewhere(serving, run_id, tables)
    log.info("published %d marts of build %s to %s", len(tables), build_id, serving)
    return Publication(serving_path=serving, run_id=run_id, tables=tables, build_id=build_id)


def _write_serving_copy(
    warehouse: Path, target: Path, run_id: str, interval_start: date, interval_end: date
) -> tuple[str, dict[str, int]]:
    con = duckdb.connect(str(target))
    try:
        con.execute("attach $path as build (read_only)", {"path": str(warehouse)})
        names = [
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where database_name = 'build' and schema_name = $s "
                "order by table_name",
                {"s": MARTS_SCHEMA},
            ).fetchall()
        ]
        if not names:
            raise RuntimeError(f"nothing to publish: the build warehouse {warehouse} has no {MARTS_SCHEMA} tables")
        # Checked on the attached file itself: it is open read-only here, so no build can start and change
        # the marts between this check and the copy.
        build_id = check_build_complete(con, database="build")
        con.execute(f"create schema {MARTS_SCHEMA}")
        tables = {}
        for name in names:
            columns = _published_columns(con, name)
            con.execute(f'create table {MARTS_SCHEMA}."{name}" as select {columns} from build.{MARTS_SCHEMA}."{name}"')
            (rows,) = con.execute(f'select count(*) from {MARTS_SCHEMA}."{name}"').fetchone()  # type: ignore[misc]
            tables[name] = rows
        con.execute(f"create schema {PUBLICATION_SCHEMA}")
        con.execute(
            f"create table {PUBLICATION_TABLE} as select $run_id as run_id, $published_at as published_at, "
            "$start as data_interval_start, $end as data_interval_end, $build_id as build_id",
            {
                "run_id": run_id,
                "build_id": build_id,
                "published_at": datetime.now(UTC),
                "start": interval_start,
                "end": interval_end,
            },
        )
        con.execute("detach build")
        con.execute("checkpoint")
    finally:
        con.close()
    return build_id, tables


class PublishFailed(RuntimeError):
    """The serving file did not open read-only with the marts just written; publish did not succeed."""


def read_publication(path: Path, tables: list[str]) -> tuple[str, dict[str, int]]:
    """(run id, rows per mart) of a serving file, opened read-only."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        counts = {
            name: con.execute(f'select count(*) from {MARTS_SCHEMA}."{name}"').fetchone()[0]  # type: ignore[index]
            for name in tables
        }
        (run_id,) = con.execute(f"select run_id from {PUBLICATION_TABLE}").fetchone()  # type: ignore[misc]
    finally:
        con.close()
    return str(run_id), counts


def _check_opens(path: Path, run_id: str, tables: dict[str, int]) -> None:
    try:
        found = read_publication(path, list(tables))
    except duckdb.Error as error:
        raise PublishFailed(f"{path} does not open read-only: {error}") from None
    _compare(path, found, run_id, tables)


def _check_opens_elsewhere(path: Path, run_id: str, tables: dict[str, int]) -> None:
    probe = (
        "import json, sys; from pathlib import Path; from warehouse.publish import read_publication; "
        "print(json.dumps(read_publication(Path(sys.argv[1]), sys.argv[2:])))"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(path), *tables], capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise PublishFailed(f"{path} does not open read-only in a new process: {last}")
    found_run, counts = json.loads(done.stdout.strip().splitlines()[-1])
    _compare(path, (found_run, counts), run_id, tables)


def _compare(path: Path, found: tuple[str, dict[str, int]], run_id: str, tables: dict[str, int]) -> None:
    found_run, counts = found
    if counts != tables or found_run != run_id:
        raise PublishFailed(
            f"{path} opened read-only but holds run {found_run} with rows {counts}, not run {run_id} with {tables}"
        )


def _published_columns(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """A mart's columns without the pipeline's bookkeeping (``_loaded_at`` and the like, prefixed ``_``).

    They say when the build warehouse last loaded a row, which changes on every rerun; the serving file
    holds only what the data says, so running the same day twice publishes the same marts.
    """
    names = [
        row[0]
        for row in con.execute(
            "select column_name from duckdb_columns() where database_name = 'build' and schema_name = $s "
            "and table_name = $t order by column_index",
            {"s": MARTS_SCHEMA, "t": table},
        ).fetchall()
    ]
    return ", ".join(f'"{name}"' for name in names if not name.startswith("_"))


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

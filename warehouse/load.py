"""Move landed extractions into the warehouse's raw schema.

Every manifest of a run is loaded in one transaction, each replacing what its raw table declares
(warehouse/raw_tables.py): the account's window for restated metrics, the landed versions for versioned
entities. An audit (the raw validation suites) runs on the loaded rows inside that transaction, so raw
never holds data that failed its checks. Loading the same landing twice leaves raw as it was; a crash, a
bad file or a failed audit leaves raw as it was before the run.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from warehouse.raw_tables import RawTable, raw_table_for

log = logging.getLogger(__name__)


class LoadError(RuntimeError):
    """A landed extraction could not be loaded; raw is left as it was."""


@dataclass(frozen=True)
class LoadedPartition:
    source: str
    stream: str
    account: str
    window_start: date
    window_end: date
    run_id: str
    rows: int

    @property
    def label(self) -> str:
        return (
            f"source={self.source} stream={self.stream} account={self.account} "
            f"window=[{self.window_start}, {self.window_end})"
        )


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse with the session settings every pipeline step assumes (UTC day boundaries)."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse))
    con.execute("set TimeZone = 'UTC'")
    return con


Audit = Callable[[duckdb.DuckDBPyConnection, list[LoadedPartition]], None]


def load_manifests(warehouse: Path, manifests: Sequence[Path], *, audit: Audit | None = None) -> list[LoadedPartition]:
    """Replace the raw partitions of every manifest, all or nothing.

    `audit` sees the loaded, not yet committed rows; whatever it raises rolls the whole load back.
    """
    con = connect(warehouse)
    try:
        con.execute("create schema if not exists raw")
        con.execute("begin transaction")
        try:
            loaded = [_replace_partition(con, Path(m)) for m in manifests]
            if audit is not None:
                audit(con, loaded)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    finally:
        con.close()
    for part in loaded:
        log.info("loaded %s rows=%d", part.label, part.rows)
    return loaded


def _replace_partition(con: duckdb.DuckDBPyConnection, manifest_path: Path) -> LoadedPartition:
    manifest = json.loads(manifest_path.read_text())
    try:
        table = raw_table_for(manifest["source"], manifest["stream"])
    except KeyError as error:
        raise LoadError(f"{manifest_path}: {error.args[0]}") from None
    part = LoadedPartition(
        source=manifest["source"],
        stream=manifest["stream"],
        account=manifest["account"],
        window_start=date.fromisoformat(manifest["window_start"]),
        window_end=date.fromisoformat(manifest["window_end"]),
        run_id=manifest["run_id"],
        rows=int(manifest["row_count"]),
    )
    files = [str(manifest_path.parent / name) for name in manifest["files"]]
    con.execute(f"create table if not exists {table.table} ({table.columns_ddl})")
    con.execute(
        f"""
        create or replace temp table incoming as
        select
            $account as account,
            {table.key_select},
            record,
            $run_id as _run_id,
            cast($window_start as date) as _window_start,
            cast($window_end as date) as _window_end,
            cast($extracted_at as timestamptz) as _extracted_at,
            current_timestamp as _loaded_at,
        from (select json as record from read_ndjson_objects($files))
        """,
        {
            "account": part.account,
            "run_id": part.run_id,
            "window_start": part.window_start,
            "window_end": part.window_end,
            "extracted_at": manifest["extracted_at"],
            "files": files,
        },
    )
    _check_incoming(con, table, part)
    if table.version_key is None:
        con.execute(
            f"delete from {table.table} where account = $account and {_in_window(table)}",
            {"account": part.account, "start": part.window_start, "end": part.window_end},
        )
    else:
        key = ", ".join(table.version_key)
        con.execute(
            f"delete from {table.table} where account = $account and ({key}) in (select ({key}) from incoming)",
            {"account": part.account},
        )
    con.execute(f"insert into {table.table} by name select * from incoming")
    con.execute("drop table incoming")
    return part


def _in_window(table: RawTable) -> str:
    # Casting the window's dates to the partition column's type keeps timestamps on UTC day boundaries.
    col = table.partition_column
    sql_type = table.key_columns[col][0]
    return f"{col} >= cast(cast($start as date) as {sql_type}) and {col} < cast(cast($end as date) as {sql_type})"


def _check_incoming(con: duckdb.DuckDBPyConnection, table: RawTable, part: LoadedPartition) -> None:
    """Refuse a landing that would break partition replace: a short file, or rows outside the window.

    A row outside its window would survive the next replace of that window and be counted twice.
    """
    (rows,) = con.execute("select count(*) from incoming").fetchone()  # type: ignore[misc]
    if rows != part.rows:
        raise LoadError(
            f"{part.label} rule=row_count_matches_manifest: manifest says {part.rows} rows, files hold {rows}"
        )
    col = table.partition_column
    outside = con.execute(
        f"select {col}, count(*) from incoming where {col} is null or not ({_in_window(table)}) "
        f"group by all order by 1 nulls first limit 5",
        {"start": part.window_start, "end": part.window_end},
    ).fetchall()
    if outside:
        sample = ", ".join(f"{value} ({count} rows)" for value, count in outside)
        raise LoadError(f"{part.label} rule={col}_inside_window: records outside the window: {sample}")

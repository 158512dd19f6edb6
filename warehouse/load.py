"""Move landed extractions into the warehouse's raw schema.

Every manifest of a run is loaded in one transaction, each replacing what its stream's load strategy says
(declared in the catalog, see warehouse/raw_tables.py): the account's window for restated metrics, the
landed versions for versioned entities, the account's snapshot day for snapshots. Declared columns are typed
here, once; a value that does not cast to its declared type is refused naming the column. An audit (the raw
validation suites) runs on the loaded rows inside that transaction, so raw never holds data that failed its
checks. Loading the same landing twice leaves raw as it was; a crash, a bad file or a failed audit leaves raw
as it was before the run.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from extractors.catalog import BOOLEAN, COUNT, DATE, JSON, MONEY, TIMESTAMP, Column, LoadStrategy
from warehouse.coverage import covered_range, ensure_ledger, record_coverage
from warehouse.raw_tables import RawTable, json_path, raw_table_for, raw_tables, raw_text, typed_value
from warehouse.settings import DBT_PROJECT_DIR

log = logging.getLogger(__name__)

SAMPLE = 5

# The fallback FX rates (dbt seed fx_rates_daily): every currency and day converted must have one.
FX_RATES_SEED = DBT_PROJECT_DIR / "seeds" / "fx_rates_daily.csv"

# Each account's latest settings (zone its days end in, currency), as its platform reported them; dbt cuts
# order days with this zone. No "__" in the name, so it can never be a source's raw table.
ACCOUNT_SETTINGS = "raw.account_settings"
ACCOUNT_SETTINGS_DDL = f"""
create table if not exists {ACCOUNT_SETTINGS} (
    source varchar not null, account varchar not null, timezone varchar not null, currency varchar,
    _run_id varchar not null, _extracted_at timestamptz not null, _loaded_at timestamptz not null
)
"""


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


class WarehouseLocked(LoadError):
    """Another process kept the warehouse open for writing past the wait; a retry would wait again."""


# DuckDB lets one process write a file. Inside the DAG's writer pool nothing else should hold it, so a lock
# that outlasts this wait belongs to someone else (an analyst's session on the build file) and is reported.
LOCK_WAIT_SECONDS = 30.0


def connect(warehouse: Path, *, lock_wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse with the session settings every pipeline step assumes (UTC day boundaries)."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + (LOCK_WAIT_SECONDS if lock_wait is None else lock_wait)
    while True:
        try:
            con = duckdb.connect(str(warehouse))
            break
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseLocked(
                    f"{warehouse} rule=warehouse_writable: another process holds its write lock: {error}"
                ) from None
            time.sleep(0.5)
    con.execute("set TimeZone = 'UTC'")
    return con


Audit = Callable[[duckdb.DuckDBPyConnection, list[LoadedPartition]], None]


def load_manifests(
    warehouse: Path,
    manifests: Sequence[Path],
    *,
    audit: Audit | None = None,
    table_for: Callable[[str, str], RawTable] = raw_table_for,
) -> list[LoadedPartition]:
    """Replace the raw partitions of every manifest, all or nothing.

    `audit` sees the loaded, not yet committed rows; whatever it raises rolls the whole load back.
    `table_for` finds a manifest's raw table (the catalog's, unless a test declares its own).
    """
    con = connect(warehouse)
    try:
        con.execute("create schema if not exists raw")
        con.execute("begin transaction")
        try:
            ensure_ledger(con)
            con.execute(ACCOUNT_SETTINGS_DDL)
            # Every declared stream has its raw table from the first load on, so a source that has not loaded
            # yet (a connection added today, a run that planned none of its accounts) builds as empty marts
            # instead of failing the dbt build on a missing table.
            for declared in raw_tables():
                ensure_raw_table(con, declared)
            loaded = [_replace_partition(con, Path(m), table_for) for m in manifests]
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


def ensure_raw_table(con: duckdb.DuckDBPyConnection, table: RawTable) -> None:
    """Create the raw table, or add the columns a declaration gained since it was created.

    A new column is filled from the records already held, so declaring a field later needs no reload.
    """
    con.execute(f"create table if not exists {table.name} ({table.columns_ddl})")
    schema, name = table.name.split(".")
    existing = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_schema = $s and table_name = $t",
            {"s": schema, "t": name},
        ).fetchall()
    }
    for column in table.stream.columns:
        if column.name not in existing:
            con.execute(f"alter table {table.name} add column {column.name} {column.type}")
            con.execute(f"update {table.name} set {column.name} = {typed_value(column)}")


def _replace_partition(
    con: duckdb.DuckDBPyConnection, manifest_path: Path, table_for: Callable[[str, str], RawTable]
) -> LoadedPartition:
    manifest = _read_manifest(manifest_path)
    try:
        table = table_for(manifest["source"], manifest["stream"])
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
    settings = manifest.get("account_settings")
    if table.source.account_settings and not settings:
        # dbt cuts this source's days in the account's zone: without it every day of the load would be null.
        raise LoadError(
            f"{part.label} rule=account_settings_present: the landing carries no account settings (time zone, "
            "currency); re-extract it with this version of the extractor"
        )
    files = [str(manifest_path.parent / name) for name in manifest["files"]]
    ensure_raw_table(con, table)
    select = table.load_select
    try:
        _read_incoming(con, table, part, manifest, files, select)
    except duckdb.Error as error:
        # A records file that is not one JSON object per line (cut off, edited, not ours).
        first_line = str(error).strip().splitlines()[0][:300]
        raise LoadError(f"{part.label} rule=records_readable: {first_line}") from None
    _check_incoming(con, table, part)
    if settings and settings.get("currency"):
        _check_currency(con, table, part, settings["currency"])
    _check_fx_rates(con, table, part, (settings or {}).get("timezone") or "UTC", (settings or {}).get("currency"))
    params = {"account": part.account, "start": part.window_start, "end": part.window_end}
    if table.strategy is LoadStrategy.VERSIONED_APPEND:
        key = ", ".join(table.stream.version_key)
        con.execute(
            f"delete from {table.name} where account = $account and ({key}) in (select ({key}) from incoming)",
            {"account": part.account},
        )
    elif table.strategy is LoadStrategy.SNAPSHOT:
        con.execute(
            f"delete from {table.name} where account = $account and {table.stream.partition_column} = $last_day",
            {"account": part.account, "last_day": part.window_end - timedelta(days=1)},
        )
    else:
        _check_account_not_quiet(con, table, part, bool(manifest.get("account_paused")))
        con.execute(f"delete from {table.name} where account = $account and {_in_window(table)}", params)
    con.execute(f"insert into {table.name} by name select * from incoming")
    con.execute("drop table incoming")
    first, end = covered_range(table.strategy, part.window_start, part.window_end)
    record_coverage(
        con, source=part.source, stream=part.stream, account=part.account, first=first, end=end, run_id=part.run_id
    )
    if settings:
        _record_account_settings(con, part, settings, manifest["extracted_at"])
    return part


def _read_incoming(
    con: duckdb.DuckDBPyConnection,
    table: RawTable,
    part: LoadedPartition,
    manifest: dict,
    files: list[str],
    select: str,
) -> None:
    """The landed records as the temp table ``incoming``: typed columns, the record, the loader's columns."""
    con.execute(
        f"""
        create or replace temp table incoming as
        select
            $account as account,
            {select},
            record,
            $run_id as _run_id,
            cast($window_start as date) as _window_start,
            cast($window_end as date) as _window_end,
            cast($extracted_at as timestamptz) as _extracted_at,
            current_timestamp as _loaded_at
        from (select json as record from read_ndjson_objects($files))
        """,
        {
            "account": part.account,
            "run_id": part.run_id,
            "window_start": part.window_start,
            "window_end": part.window_end,
            "extracted_at": manifest["extracted_at"],
            "files": files,
            **({"last_day": part.window_end - timedelta(days=1)} if table.strategy is LoadStrategy.SNAPSHOT else {}),
        },
    )


def _record_account_settings(
    con: duckdb.DuckDBPyConnection, part: LoadedPartition, settings: dict, extracted_at: str
) -> None:
    """Keep the account's latest reported zone and currency (a replayed older landing does not win)."""
    key = {"source": part.source, "account": part.account, "extracted_at": extracted_at}
    con.execute(
        f"delete from {ACCOUNT_SETTINGS} where source = $source and account = $account "
        "and _extracted_at <= cast($extracted_at as timestamptz)",
        key,
    )
    con.execute(
        f"""
        insert into {ACCOUNT_SETTINGS}
        select $source, $account, $timezone, $currency, $run_id, cast($extracted_at as timestamptz), current_timestamp
        where not exists (select 1 from {ACCOUNT_SETTINGS} where source = $source and account = $account)
        """,
        {**key, "timezone": settings["timezone"], "currency": settings.get("currency"), "run_id": part.run_id},
    )


def _check_account_not_quiet(
    con: duckdb.DuckDBPyConnection, table: RawTable, part: LoadedPartition, paused: bool
) -> None:
    """Refuse a restated window that would empty days the account had data for (revoked access, a glitch).

    Platforms restate late conversions, never delivery that happened: a day that had rows and now comes back
    with none is lost data, unless the account is declared paused or ended on its connection.
    """
    if paused:
        return
    col = table.stream.partition_column
    emptied = [
        str(day)
        for (day,) in con.execute(
            f"select distinct {col} from {table.name} where account = $account and {_in_window(table)} "
            f"except select distinct {col} from incoming order by 1",
            {"account": part.account, "start": part.window_start, "end": part.window_end},
        ).fetchall()
    ]
    if emptied:
        shown = ", ".join(emptied[:SAMPLE]) + (f" (+{len(emptied) - SAMPLE} more)" if len(emptied) > SAMPLE else "")
        raise LoadError(
            f"{part.label} rule=account_not_quiet: the account had rows on {len(emptied)} day(s) of the window "
            f"and now returned none for them: {shown}; if it is paused or ended, list it in extra.paused_accounts "
            "of its connection"
        )


def _check_currency(con: duckdb.DuckDBPyConnection, table: RawTable, part: LoadedPartition, currency: str) -> None:
    """Every record's amounts are in the account's currency, or its money would be summed as if they were.

    (An order in another currency without presentment amounts made GMV come out 7 times too high.)
    """
    column = table.stream.currency_column
    if not column:
        return
    key = ", ".join(table.stream.primary_key)
    found = con.execute(
        f"select {column}, count(*), min(({key})::varchar) from incoming where {column} is distinct from $currency "
        f"group by 1 order by 2 desc limit {SAMPLE}",
        {"currency": currency},
    ).fetchall()
    if found:
        sample = "; ".join(f"{value!r}: {count} rows (e.g. {key}={example})" for value, count, example in found)
        raise LoadError(
            f"{part.label} rule=currency_is_account_currency column={column}: the account's currency is "
            f"{currency}, records are in {sample}"
        )


def _check_fx_rates(
    con: duckdb.DuckDBPyConnection, table: RawTable, part: LoadedPartition, timezone: str, account_currency: str | None
) -> None:
    """Every (currency, activity day) of the landing has a rate to the reporting currency.

    The marts convert money at the activity day's rate (int_fx_rates_daily: the ECB's where usable, the seed
    everywhere else); a currency or a day without one would fail the dbt build after raw had already taken
    the rows, so it is refused here, before the load commits. The seed is what is checked: as the fallback it
    must hold every currency and day in use, so that an ECB outage never leaves an amount unconverted.
    Records that carry no currency (TikTok, Ocean Engine report rows) are in their account's, as its
    settings say.
    """
    stream = table.stream
    if not stream.activity_date_column:
        return
    if stream.currency_column:
        currency, named = stream.currency_column, f"column={stream.currency_column}"
    elif account_currency:
        currency, named = "$currency", "account currency"
    else:
        return
    activity = stream.column(stream.activity_date_column)
    day = f"cast(timezone($timezone, {activity.name}) as date)" if activity.type == TIMESTAMP else f"{activity.name}"
    params: dict[str, Any] = {"rates": str(FX_RATES_SEED)}
    if activity.type == TIMESTAMP:
        params["timezone"] = timezone
    if not stream.currency_column:
        params["currency"] = account_currency
    missing = con.execute(
        f"""
        select currency, count(*) as days, min(day)::varchar, max(day)::varchar
        from (
            select distinct {currency} as currency, {day} as day from incoming
            except
            select currency, rate_date from read_csv($rates, columns = {{'rate_date': 'date', 'currency': 'varchar',
                'rate_to_reporting': 'double'}}, header = true)
        )
        group by currency order by currency limit {SAMPLE}
        """,
        params,
    ).fetchall()
    if missing:
        shown = "; ".join(f"{currency!r} on {n} day(s), {first}..{last}" for currency, n, first, last in missing)
        raise LoadError(
            f"{part.label} rule=fx_rate_known {named}: no rate to the reporting currency "
            f"in {FX_RATES_SEED.name} for {shown}"
        )


def _read_manifest(manifest_path: Path) -> dict:
    try:
        manifest = json.loads(manifest_path.read_text())
        for key in ("source", "stream", "account", "window_start", "window_end", "run_id", "row_count", "files"):
            manifest[key]  # noqa: B018 - a missing key must fail here, naming the manifest
    except (OSError, ValueError, KeyError) as error:
        raise LoadError(f"{manifest_path}: rule=manifest_readable: {type(error).__name__}: {error}") from None
    return manifest


def _in_window(table: RawTable) -> str:
    # Casting the window's dates to the partition column's type keeps timestamps on UTC day boundaries.
    column = table.partition_column
    return (
        f"{column.name} >= cast(cast($start as date) as {column.type}) "
        f"and {column.name} < cast(cast($end as date) as {column.type})"
    )


def _not_before_window(table: RawTable) -> str:
    column = table.partition_column
    return f"{column.name} >= cast(cast($start as date) as {column.type})"


def _check_incoming(con: duckdb.DuckDBPyConnection, table: RawTable, part: LoadedPartition) -> None:
    """Refuse a landing that would break partition replace or whose declared columns do not hold.

    A short file loses rows; a row outside its window would survive the next replace of that window and be
    counted twice; a value that does not cast to its declared type would reach the marts as null.
    """
    (rows,) = con.execute("select count(*) from incoming").fetchone()  # type: ignore[misc]
    if rows != part.rows:
        raise LoadError(
            f"{part.label} rule=row_count_matches_manifest: manifest says {part.rows} rows, files hold {rows}"
        )
    _check_types(con, table, part)
    for key in table.required_columns:
        (missing,) = con.execute(f"select count(*) from incoming where {key} is null").fetchone()  # type: ignore[misc]
        if missing:
            raise LoadError(f"{part.label} rule=key_present column={key}: {missing} of {rows} rows have no {key}")
    _check_required(con, table, part, rows)
    col = table.stream.partition_column
    # Versioned entities are asked for "updated since the window's start" with no upper bound, so a version
    # newer than the window is expected (an order refunded later); one older than the window is not.
    versioned = table.strategy is LoadStrategy.VERSIONED_APPEND
    condition = _not_before_window(table) if versioned else _in_window(table)
    outside = con.execute(
        f"select {col}, count(*) from incoming where not ({condition}) group by {col} order by 1 limit {SAMPLE}",
        {"start": part.window_start, "end": part.window_end} if not versioned else {"start": part.window_start},
    ).fetchall()
    if outside:
        sample = ", ".join(f"{value} ({count} rows)" for value, count in outside)
        rule, what = (
            (f"{col}_not_before_window", "versions older than the window")
            if versioned
            else (f"{col}_inside_window", "records outside the window")
        )
        raise LoadError(f"{part.label} rule={rule}: {what}: {sample}")


def _check_required(con: duckdb.DuckDBPyConnection, table: RawTable, part: LoadedPartition, rows: int) -> None:
    """Every required field is in every record: a field the platform left out must not pass as null or 0."""
    keys = set(table.required_columns)
    loader_set = table.stream.partition_column if table.strategy is LoadStrategy.SNAPSHOT else None
    required = [c for c in table.stream.columns if not c.optional and c.name not in keys and c.name != loader_set]
    failures = []
    if required:
        counts = con.execute(
            "select " + ", ".join(f"count(*) filter (where {raw_text(c)} is null)" for c in required) + " from incoming"
        ).fetchone()
        assert counts is not None
        failures = [
            f"{part.label} rule=required field missing: {'.'.join(column.record_path)}: {missing} of {rows} rows "
            f"(column {column.name}; declare it optional if the platform may leave it out)"
            for column, missing in zip(required, counts, strict=True)
            if missing
        ]
    failures += _nested_missing(con, table, part, rows)
    if failures:
        raise LoadError("\n".join(failures))


def _nested_missing(con: duckdb.DuckDBPyConnection, table: RawTable, part: LoadedPartition, rows: int) -> list[str]:
    """Each declared ``list[*].field`` present in every element of the list (a refund transaction's status)."""
    if not table.stream.nested_required:
        return []
    conditions = []
    for spec in table.stream.nested_required:
        container, _, field = spec.rpartition(".")
        elements = f"cast(json_extract(record, '$.{container}') as json[])"
        conditions.append(f"count(*) filter (where len(list_filter({elements}, lambda e: e->>'{field}' is null)) > 0)")
    counts = con.execute("select " + ", ".join(conditions) + " from incoming").fetchone()
    assert counts is not None
    return [
        f"{part.label} rule=required field missing: {spec}: {missing} of {rows} rows have an element without it"
        for spec, missing in zip(table.stream.nested_required, counts, strict=True)
        if missing
    ]


# The forms a value may take to cast without losing or inventing anything. DuckDB alone would round
# "1234.5" to the bigint 1235 and "12.34567" to 12.3457, read "2026-11-01T00:00:00-08:00" as the date
# 2026-11-01, a timestamp without a zone as UTC, and "yes" as true, all without a word. Trailing zeros are
# exact ("12.0", "368.00").
EXACT_FORMS = {
    COUNT: r"[+-]?[0-9]+(\.0*)?",
    MONEY: r"[+-]?[0-9]+(\.[0-9]{0,4}0*)?",
    DATE: r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
    TIMESTAMP: r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)",
    BOOLEAN: r"true|false",
}


def _type_fails(column: Column) -> str:
    """A condition on an incoming row: the column's record value is present but does not hold its type."""
    text = raw_text(column)
    if column.type == JSON:
        return f"{text} is not null and json_type(record, {json_path(column)}) <> '{column.json_type}'"
    condition = f"({column.name} is null and {text} is not null)"
    if column.type in EXACT_FORMS:
        condition += f" or ({text} is not null and not regexp_full_match({text}, '{EXACT_FORMS[column.type]}'))"
    return condition


def _check_types(con: duckdb.DuckDBPyConnection, table: RawTable, part: LoadedPartition) -> None:
    """Every declared column whose record value is present must cast to the declared type, losing nothing."""
    # A snapshot's partition column is set by the loader, not read from the record.
    loader_set = table.stream.partition_column if table.strategy is LoadStrategy.SNAPSHOT else None
    checked = [c for c in table.stream.columns if (c.type != JSON or c.json_type) and c.name != loader_set]
    if not checked:
        return
    counts = con.execute(
        "select " + ", ".join(f"count(*) filter (where {_type_fails(c)})" for c in checked) + " from incoming"
    ).fetchone()
    assert counts is not None
    failures = []
    for column, bad in zip(checked, counts, strict=True):
        if not bad:
            continue
        samples = con.execute(
            f"select distinct {raw_text(column)} from incoming where {_type_fails(column)} limit 3"
        ).fetchall()
        expected = f"JSON {column.json_type}" if column.type == JSON else column.type
        failures.append(
            f"{part.label} rule=type_holds column={column.name} type={expected}: {bad} value(s) do not cast "
            f"losslessly, e.g. {', '.join(repr(value)[:80] for (value,) in samples)}"
        )
    if failures:
        raise LoadError("\n".join(failures))

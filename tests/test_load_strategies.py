"""The loader's strategies and schema growth, on a stream declared here (no platform involved): a snapshot
replaces only its own day, and a declaration that gains a column gains it in raw, filled from the records
already held."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from extractors.catalog import COUNT, DATE, TEXT, Accounts, Column, LoadStrategy, Readiness, Source, Stream
from extractors.landing import LandingTarget, land
from extractors.streams import Window
from warehouse.load import load_manifests
from warehouse.raw_tables import RawTable


def declared(strategy: LoadStrategy, *extra_columns: Column) -> RawTable:
    stream = Stream(
        name="followers",
        description="Followers per account as of the day.",
        primary_key=("profile_id",),
        cursor_field="date",
        partition_column="snapshot_date",
        strategy=strategy,
        columns=(Column("snapshot_date", DATE), Column("profile_id", TEXT), Column("followers", COUNT), *extra_columns),
        reader="unused:reader",
    )
    source = Source(
        name="demo",
        description="A source declared by this test.",
        conn_id="demo",
        accounts=Accounts("accounts"),
        lookback_days=0,
        readiness=Readiness(timezone="UTC"),
        streams=(stream,),
        client="unused:client",
    )
    return RawTable(source, stream)


def land_day(root: Path, table: RawTable, account: str, day: date, records: list[dict], run_id: str) -> Path:
    window = Window(day, date.fromordinal(day.toordinal() + 1))
    target = LandingTarget(root, "demo", table.stream, account, window, run_id)
    return land(target, records, datetime(2026, 11, 30, tzinfo=UTC))


def rows(warehouse: Path, columns: str = "account, snapshot_date::varchar, profile_id, followers, _run_id") -> list:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(f"select {columns} from raw.demo__followers order by all").fetchall()
    finally:
        con.close()


def test_a_snapshot_replaces_the_account_s_own_day_only(tmp_path: Path) -> None:
    table = declared(LoadStrategy.SNAPSHOT)
    warehouse, landing = tmp_path / "w.duckdb", tmp_path / "landing"

    def load(*manifests: Path) -> None:
        load_manifests(warehouse, list(manifests), table_for=lambda source, stream: table)

    nov1, nov2 = date(2026, 11, 1), date(2026, 11, 2)
    load(
        land_day(landing, table, "acct_a", nov1, [{"profile_id": "p1", "followers": 100}], "r1"),
        land_day(landing, table, "acct_b", nov1, [{"profile_id": "p9", "followers": 7}], "r1"),
    )
    load(land_day(landing, table, "acct_a", nov2, [{"profile_id": "p1", "followers": 120}], "r2"))
    # The same day again, later: its snapshot is replaced; the other day and the other account stay.
    load(
        land_day(
            landing,
            table,
            "acct_a",
            nov2,
            [{"profile_id": "p1", "followers": 125}, {"profile_id": "p2", "followers": 3}],
            "r3",
        )
    )
    assert rows(warehouse) == [
        ("acct_a", "2026-11-01", "p1", 100, "r1"),
        ("acct_a", "2026-11-02", "p1", 125, "r3"),
        ("acct_a", "2026-11-02", "p2", 3, "r3"),
        ("acct_b", "2026-11-01", "p9", 7, "r1"),
    ]


def test_a_declared_column_added_later_is_added_to_raw_and_filled_from_the_records_held(tmp_path: Path) -> None:
    before = declared(LoadStrategy.SNAPSHOT)
    after = declared(LoadStrategy.SNAPSHOT, Column("handle", TEXT, path="profile.handle"))
    warehouse, landing = tmp_path / "w.duckdb", tmp_path / "landing"
    record = {"profile_id": "p1", "followers": 100, "profile": {"handle": "@brand"}}
    load_manifests(
        warehouse, [land_day(landing, before, "acct_a", date(2026, 11, 1), [record], "r1")], table_for=lambda *_: before
    )
    newer = {"profile_id": "p1", "followers": 101, "profile": {"handle": "@brand_cn"}}
    load_manifests(
        warehouse, [land_day(landing, after, "acct_a", date(2026, 11, 2), [newer], "r2")], table_for=lambda *_: after
    )
    assert rows(warehouse, "snapshot_date::varchar, followers, handle") == [
        ("2026-11-01", 100, "@brand"),
        ("2026-11-02", 101, "@brand_cn"),
    ]

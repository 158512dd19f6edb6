"""Land hand-made records the way an extractor would, for tests of the stages after extraction."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from extractors.catalog import AccountSettings, get_source
from extractors.landing import LandingTarget, land
from extractors.streams import Window

EXTRACTED_AT = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
DEFAULT_SETTINGS = AccountSettings(timezone="Asia/Shanghai")


def land_records(
    root: Path,
    source: str,
    stream: str,
    account: str,
    start: date,
    end: date,
    run_id: str,
    records: list[dict[str, Any]],
    settings: AccountSettings | None = None,
) -> Path:
    """Land ``records`` for (source, stream, account, [start, end), run_id); the stream as the catalog declares it.

    ``settings`` is what the account's settings endpoint said (its zone and currency); by default the sandbox's
    home zone with no currency reported, so the currency rule stays out of tests about other rules.
    """
    declared_source = get_source(source)
    if settings is None and declared_source.account_settings:
        settings = DEFAULT_SETTINGS
    declared = declared_source.stream(stream)
    target = LandingTarget(root, source, declared, account, Window(start, end), run_id, account_settings=settings)
    return land(target, records, EXTRACTED_AT)


def raw_rows(warehouse: Path, source: str, stream: str) -> list[tuple]:
    """Every row of a stream's raw table (record as text, load time left out), to compare loads by."""
    from extractors.catalog import raw_table_name

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            f"select * exclude (_loaded_at, record), record::varchar from {raw_table_name(source, stream)} order by all"
        ).fetchall()
    finally:
        con.close()

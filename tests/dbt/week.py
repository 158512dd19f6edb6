"""One week of simulated data straight into raw, then one dbt build: the warehouse the marts are reconciled on.

Each source's share of raw is written by ``land_week(con, world)`` in ``tests/sources/<source>/marts.py``,
bypassing HTTP and the loader, the way two daily loads would leave it (FIRST_LOAD, then SECOND_LOAD): an
entity touched between the two (an order fulfilled, refunded) has two versions and the marts must show the
later one. Each source's ``test_marts.py`` compares the built marts with its ground truth.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from extractors.catalog import sources
from tests.dbt import raw_fixtures as raw
from tests.sources import source_module
from warehouse.dbt_build import run_dbt_build

SINCE = date(2026, 11, 15)
UNTIL = date(2026, 11, 21)
FIRST_LOAD = datetime(2026, 11, 19, tzinfo=UTC)
SECOND_LOAD = datetime(2026, 11, 23, tzinfo=UTC)


def build_week_warehouse(world: Any, folder: Path) -> Path:
    """The warehouse file in ``folder`` with every source's week in raw and the dbt project built on it."""
    path = folder / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute("set TimeZone = 'UTC'")
        raw.create_raw_tables(con)
        for source in sources():
            hooks = source_module(source.name, "marts")
            if hooks is not None:
                hooks.land_week(con, world)
    finally:
        con.close()
    run_dbt_build(path, artifacts_dir=folder / "dbt")
    return path

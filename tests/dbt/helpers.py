"""Reading marts back out of a built warehouse file in tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb


def rows(warehouse: Path, sql: str) -> list[dict[str, Any]]:
    """Every row of `sql` as a dict, through a read-only connection closed before returning."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def one(warehouse: Path, sql: str) -> dict[str, Any]:
    found = rows(warehouse, sql)
    assert len(found) == 1, found
    return found[0]

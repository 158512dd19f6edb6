"""One module per mart area, found by name: an area that lands later adds its module and its test only.

Each module defines ``LABELS`` (its words per language, ``title`` among them) and
``build(con, period, config) -> Section``, reading the serving file through ``con`` (open read-only).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

from warehouse.summary_email.formatting import change, clean
from warehouse.summary_email.model import Period, Section, Tile

SectionBuilder = Callable[..., Section]


def _discover() -> tuple[str, ...]:
    return tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")))


SECTIONS: tuple[str, ...] = _discover()


def section_builder(name: str) -> SectionBuilder:
    module: Any = importlib.import_module(f"{__name__}.{name}")
    return module.build


def table_exists(con: Any, table: str, schema: str = "marts") -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = $s and table_name = $t",
        {"s": schema, "t": table},
    ).fetchone()
    return bool(row and row[0])


def column_exists(con: Any, table: str, column: str, schema: str = "marts") -> bool:
    row = con.execute(
        "select count(*) from information_schema.columns where table_schema = $s and table_name = $t "
        "and column_name = $c",
        {"s": schema, "t": table, "c": column},
    ).fetchone()
    return bool(row and row[0])


def first_day(con: Any, table: str, column: str) -> Any:
    """The earliest day a mart holds: comparisons are made only where the data reaches."""
    row = con.execute(f"select min({column}) from marts.{table}").fetchone()
    return row[0] if row else None


def trend_values(con: Any, table: str, column: str, expression: str, buckets: list[Period]) -> list[float | None]:
    """``sum(expression)`` of ``marts.<table>`` per bucket; None for a bucket the mart holds no day of."""
    rows = con.execute(
        f"select {column}, sum({expression}) from marts.{table} where {column} between $start and $end "
        f"group by {column}",
        {"start": buckets[0].start, "end": buckets[-1].end},
    ).fetchall()
    values: list[float | None] = []
    for bucket in buckets:
        inside = [value for day, value in rows if bucket.start <= day <= bucket.end and value is not None]
        values.append(float(sum(inside)) if inside else None)
    return values


def compared_tile(
    key: str,
    label: str,
    kind: str,
    current: dict[str, Any],
    previous: dict[str, Any] | None,
    last_year: dict[str, Any] | None,
) -> Tile:
    """The tile of ``current[key]`` with its change against the previous period and last year (each None when
    that period is not comparable)."""
    value = current[key]
    return Tile(
        key=key,
        label=label,
        value=clean(value),
        kind=kind,
        vs_previous=change(value, previous[key]) if previous else None,
        vs_last_year=change(value, last_year[key]) if last_year else None,
    )

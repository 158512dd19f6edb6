"""The raw schema: one table per (source, stream), and what each load replaces.

Two kinds of stream:
- restated metrics (ad insights by day): a load replaces every row of its account whose partition column
  falls in the landed window, so a restated window replaces what it restates, days that lost all delivery
  included, and nothing else;
- versioned entities (orders by updated_at): each (id, updated_at) version is an immutable fact. A load
  replaces the versions it brings and keeps every other one, because an order updated again after the
  window's end is no longer returned for that window and its earlier version must not vanish.
Either way the same landing loaded twice leaves the table as it was. Records are kept whole in a JSON
column: fields the API adds later never break a load.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RawTable:
    source: str
    stream: str
    table: str
    partition_column: str
    # Typed columns pulled out of the record for partitioning and keys: name -> (sql type, expression).
    # The record itself stays intact beside them.
    key_columns: dict[str, tuple[str, str]]
    # For versioned entities, the columns that identify one version; None = replace the whole window.
    version_key: tuple[str, ...] | None = None

    @property
    def columns_ddl(self) -> str:
        keys = ", ".join(f"{name} {sql_type}" for name, (sql_type, _) in self.key_columns.items())
        return (
            f"account varchar not null, {keys}, record json not null, _run_id varchar not null, "
            "_window_start date not null, _window_end date not null, "
            "_extracted_at timestamptz not null, _loaded_at timestamptz not null"
        )

    @property
    def key_select(self) -> str:
        return ", ".join(f"cast({expr} as {sql_type}) as {name}" for name, (sql_type, expr) in self.key_columns.items())


RAW_TABLES: dict[tuple[str, str], RawTable] = {
    ("meta", "ads_insights"): RawTable(
        source="meta",
        stream="ads_insights",
        table="raw.meta__ads_insights",
        partition_column="date_start",
        key_columns={"date_start": ("date", "record->>'date_start'")},
    ),
    ("shopify", "orders"): RawTable(
        source="shopify",
        stream="orders",
        table="raw.shopify__orders",
        partition_column="updated_at",
        key_columns={
            "order_id": ("bigint", "record->>'id'"),
            "updated_at": ("timestamptz", "record->>'updated_at'"),
        },
        version_key=("order_id", "updated_at"),
    ),
}


def raw_table_for(source: str, stream: str) -> RawTable:
    try:
        return RAW_TABLES[(source, stream)]
    except KeyError:
        known = ", ".join(f"{s}.{t}" for s, t in RAW_TABLES)
        raise KeyError(f"no raw table declared for {source}.{stream} (known: {known})") from None

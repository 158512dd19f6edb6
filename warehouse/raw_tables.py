"""The raw tables, derived from the catalog: one per declared (source, stream).

Each raw row keeps the landed record whole as JSON (fields the API adds later never break a load) beside the
declared columns, pulled out and typed once at load. Those typed columns are what the raw checks validate and
what staging selects, so a value that passes the raw gate is already of the type the marts use.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.catalog import JSON, Column, LoadStrategy, Source, Stream, get_source, raw_table_name, streams

# The loader's own columns, after the declared ones.
BOOKKEEPING_DDL = (
    "record json not null, _run_id varchar not null, _window_start date not null, _window_end date not null, "
    "_extracted_at timestamptz not null, _loaded_at timestamptz not null"
)


def json_path(column: Column) -> str:
    """A JSON path literal for the column's record path, each key quoted so any key name works."""
    keys = ".".join('"' + key.replace('"', '\\"') + '"' for key in column.record_path)
    return f"'$.{keys}'"


def raw_text(column: Column, record: str = "record") -> str:
    """The column's value in the record as text (null when absent or JSON null)."""
    return f"json_extract_string({record}, {json_path(column)})"


def typed_value(column: Column, record: str = "record") -> str:
    """The column's value cast to its declared type; null when it does not cast (the raw gate then fails)."""
    if column.type == JSON:
        return f"json_extract({record}, {json_path(column)})"
    return f"try_cast({raw_text(column, record)} as {column.type})"


@dataclass(frozen=True)
class RawTable:
    source: Source
    stream: Stream

    @property
    def name(self) -> str:
        return raw_table_name(self.source.name, self.stream.name)

    @property
    def label(self) -> str:
        return f"{self.source.name}.{self.stream.name}"

    @property
    def strategy(self) -> LoadStrategy:
        return self.stream.strategy

    @property
    def partition_column(self) -> Column:
        return self.stream.column(self.stream.partition_column)

    @property
    def columns_ddl(self) -> str:
        declared = ", ".join(f"{c.name} {c.type}" for c in self.stream.columns)
        return f"account varchar not null, {declared}, {BOOKKEEPING_DDL}"

    @property
    def typed_select(self) -> str:
        """The declared columns computed from ``record``, for a select list."""
        return ", ".join(f"{typed_value(c)} as {c.name}" for c in self.stream.columns)

    @property
    def load_select(self) -> str:
        """``typed_select`` as a load computes it: a snapshot's partition is the day it describes, the load's
        ``$last_day`` (the window's last day), not a record field."""
        if self.strategy is not LoadStrategy.SNAPSHOT:
            return self.typed_select
        column = self.stream.partition_column
        return self.typed_select.replace(f"{typed_value(self.partition_column)} as {column}", f"$last_day as {column}")

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Columns a row cannot be loaded without: the partition and the keys."""
        keys = (self.stream.partition_column, *self.stream.primary_key, *self.stream.version_key)
        return tuple(dict.fromkeys(keys))


def raw_table_for(source: str, stream: str) -> RawTable:
    declared = get_source(source)
    return RawTable(declared, declared.stream(stream))


def raw_tables() -> list[RawTable]:
    return [RawTable(source, stream) for source, stream in streams()]

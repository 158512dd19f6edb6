"""The catalog of sources: each source declares itself once, and everything else is derived from it.

A source is one folder, ``extractors/<source>/``, whose ``source.py`` builds a ``Source``. This module finds
those declarations by looking at the package's folders, so no list of sources is kept anywhere: the loader's
raw tables and load strategies, the raw checks' column types, the DAG's extract tasks, the sandbox servers
of ``make run`` and the dbt ``sources:`` YAML all come from here.

Import-light on purpose: the Airflow DAG parser imports this module every few seconds, so it (and every
``source.py``) imports only the standard library. Code that does the work (HTTP clients, readers, record
preparation) is named by ``"module:attribute"`` references and imported only when a task runs.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

# Column types, written once here so the raw checks and staging can never disagree: the loader casts each
# typed column to exactly this type, a value that does not cast fails the raw gate, and staging selects the
# typed column as it is.
MONEY = "decimal(18,4)"
COUNT = "bigint"
TEXT = "varchar"
DATE = "date"
TIMESTAMP = "timestamptz"
BOOLEAN = "boolean"
JSON = "json"
TYPES = frozenset({MONEY, COUNT, TEXT, DATE, TIMESTAMP, BOOLEAN, JSON})

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class LoadStrategy(Enum):
    """How one landed extraction replaces what raw holds."""

    # Metrics the platform restates (ad conversions arrive late): the account's rows whose partition
    # column falls in the landed window are replaced by the landing.
    RESTATED_WINDOW = "restated_window"
    # Versioned entities (orders): every version is a fact; a landing replaces only the versions it brings
    # (same version key), so a version that moved on is never deleted.
    VERSIONED_APPEND = "versioned_append"
    # State as of the extraction (follower counts, a post's lifetime figures): the account's snapshot for
    # the window's last day is replaced; earlier snapshots stay.
    SNAPSHOT = "snapshot"


@dataclass(frozen=True)
class Column:
    """A field the warehouse relies on, pulled out of the record and typed once, at load.

    ``path`` is the dotted path in the record (``customer.id``); it defaults to the column's name. A column
    is required unless declared ``optional``: a record that leaves a required field out (or sends it as
    null) is refused at load with "required field missing", because a metric the platform did not send is
    unknown, never 0. ``optional`` is for fields the platform legitimately omits (Graph API action lists when
    there were none, a guest order's customer).
    """

    name: str
    type: str
    description: str = ""
    path: str = ""
    optional: bool = False
    # For a JSON column, the JSON type its value must have ("ARRAY", "OBJECT"); a list sent as an object or a
    # string would otherwise reach the marts as "no refunds".
    json_type: str = ""

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"column name {self.name!r} must be lower_snake_case")
        if self.type not in TYPES:
            raise ValueError(f"column {self.name}: type {self.type!r} is not one of {sorted(TYPES)}")
        if self.json_type and (self.type != JSON or self.json_type not in ("ARRAY", "OBJECT")):
            raise ValueError(f"column {self.name}: json_type is ARRAY or OBJECT, on a JSON column")

    @property
    def record_path(self) -> tuple[str, ...]:
        return tuple((self.path or self.name).split("."))


@dataclass(frozen=True)
class Stream:
    """One entity a source serves: its keys, cursor, raw-table shape and load strategy.

    ``primary_key`` names typed columns that identify a record within one extraction (checked unique by the
    raw suite and dbt). ``cursor_field`` is the API field the window filters on. ``partition_column`` is the
    typed column a load replaces by (restated window, snapshot) or checks against the window (versioned).
    ``version_key`` identifies one version of a versioned entity.
    """

    name: str
    description: str
    primary_key: tuple[str, ...]
    cursor_field: str
    partition_column: str
    strategy: LoadStrategy
    columns: tuple[Column, ...]
    # "module:function" reading (client, connection, account, window) -> records, as the API returned them.
    reader: str
    # "module:function" applied to each record before it lands (PII hashing); None lands it untouched.
    prepare: str | None = None
    version_key: tuple[str, ...] = ()
    # Fields inside a JSON column's list that every element must carry, as ``column[*].path``
    # (``refunds[*].transactions[*].status``): left out, they fail "required field missing" like a column.
    nested_required: tuple[str, ...] = ()
    # The typed column naming the currency every money column is in; the loader refuses a record whose
    # currency is not the account's (its settings say which), since its amounts would be summed as if it were.
    currency_column: str = ""
    # How many days before today (the run's as-of day, in the source's zone) the platform still serves this
    # stream; None: all of history. A window reaching further back (a long initial load) starts there instead,
    # since those days can never be read (Douyin keeps 30 days of fans data).
    history_days: int | None = None
    # The typed column dating the activity a money amount belongs to (an insight's day, an order's creation):
    # the day its FX rate is taken on. A timestamp is read as a date in the account's zone.
    activity_date_column: str = ""

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"stream {self.name}: duplicate column names")
        if "account" in names or any(n.startswith("_") for n in names) or "record" in names:
            raise ValueError(f"stream {self.name}: 'account', 'record' and '_*' are the loader's own columns")
        currency = tuple(filter(None, (self.currency_column, self.activity_date_column)))
        for key in (self.partition_column, *self.primary_key, *self.version_key, *currency):
            if key not in names:
                raise ValueError(f"stream {self.name}: key column {key!r} is not a declared column")
        if self.history_days is not None and self.history_days < 1:
            raise ValueError(f"stream {self.name}: history_days must be at least 1")
        if (self.strategy is LoadStrategy.VERSIONED_APPEND) != bool(self.version_key):
            raise ValueError(f"stream {self.name}: a version key goes with, and only with, versioned_append")

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"stream {self.name} has no column {name!r}")


@dataclass(frozen=True)
class Accounts:
    """Where a connection lists the accounts (partitions) to fan out over: a key of its ``extra``."""

    extra_key: str
    # True: a list of accounts (ad accounts); False: the connection serves exactly one (a shop).
    many: bool = True


@dataclass(frozen=True)
class Readiness:
    """When a day's data is complete on the platform: ``hour`` o'clock of the next day in ``timezone``.

    ``timezone`` None means each account's own zone, as its settings endpoint reports it (ad platforms and
    shops report days in the account's zone). A run never extracts a day before it is complete.
    """

    hour: int = 0
    timezone: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.hour <= 23:
            raise ValueError(f"readiness hour must be 0..23, got {self.hour}")


@dataclass(frozen=True)
class AccountSettings:
    """What an account's settings endpoint says about it: the zone its days are cut in, its currency."""

    timezone: str
    currency: str | None = None


@dataclass(frozen=True)
class Source:
    """One platform: everything the pipeline needs to know about it, declared in one place."""

    name: str
    description: str
    conn_id: str
    accounts: Accounts
    # Days before the data interval re-fetched on every run, because the platform restates them.
    lookback_days: int
    readiness: Readiness
    streams: tuple[Stream, ...]
    # "module:function" building an HTTP client (auth, error table) from (connection, context, retry).
    client: str
    # The API version the source asks for unless its connection says otherwise.
    api_version: str = ""
    # "module:function" reading (client, connection, account) -> AccountSettings: the account's time zone
    # (where its days end) and currency. Required when ``readiness.timezone`` is None.
    account_settings: str = ""

    def __post_init__(self) -> None:
        if not _NAME.match(self.name) or "__" in self.name:
            raise ValueError(f"source name {self.name!r} must be lower_snake_case without '__'")
        if self.lookback_days < 0:
            raise ValueError(f"source {self.name}: lookback_days must be >= 0")
        if self.readiness.timezone is None and not self.account_settings:
            raise ValueError(f"source {self.name}: days cut in each account's zone need account_settings")

    def stream(self, name: str) -> Stream:
        for stream in self.streams:
            if stream.name == name:
                return stream
        raise KeyError(f"source '{self.name}' has no stream '{name}'; it has {[s.name for s in self.streams]}")


def raw_table_name(source: str, stream: str) -> str:
    """``raw.<source>__<stream>``: the double underscore keeps source and stream apart in one name."""
    return f"raw.{source}__{stream}"


@cache
def sources() -> tuple[Source, ...]:
    """Every declared source, by name: the folders of ``extractors`` that hold a ``source.py``."""
    import extractors

    found = []
    for module in pkgutil.iter_modules(extractors.__path__):
        if module.ispkg and importlib.util.find_spec(f"extractors.{module.name}.source") is not None:
            declared = importlib.import_module(f"extractors.{module.name}.source").SOURCE
            if declared.name != module.name:
                raise ValueError(f"extractors/{module.name}/source.py declares source {declared.name!r}")
            found.append(declared)
    return tuple(sorted(found, key=lambda s: s.name))


def get_source(name: str) -> Source:
    for source in sources():
        if source.name == name:
            return source
    raise KeyError(f"unknown source '{name}'; known sources: {[s.name for s in sources()]}")


def streams() -> list[tuple[Source, Stream]]:
    """Every (source, stream) the pipeline extracts, in a stable order."""
    return [(source, stream) for source in sources() for stream in source.streams]


def resolve(reference: str) -> Callable[..., Any]:
    """Import the object a ``"module:attribute"`` reference names (done when a task runs, not at parse)."""
    module, _, attribute = reference.partition(":")
    if not module or not attribute:
        raise ValueError(f"{reference!r} is not a 'module:attribute' reference")
    found: Callable[..., Any] = getattr(importlib.import_module(module), attribute)
    return found

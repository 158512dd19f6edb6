"""What a platform module declares so the generic runner can extract from it.

Adding a platform means writing one module that builds a ``Source`` and registering it in
``extractors/registry.py``; the runner, landing, retries and errors come for free.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from extractors.connections import Connection
from extractors.errors import ExtractContext
from extractors.http import HttpClient, RetrySettings
from extractors.streams import Stream, Window

Record = dict[str, Any]


@dataclass(frozen=True)
class StreamReader:
    """A declared stream plus how to read it and what to do to each record before it lands."""

    stream: Stream
    # (client, connection, account, window) -> records, lazily, exactly as the API returned them.
    read: Callable[[HttpClient, Connection, str, Window], Iterator[Record]]
    # Applied to each record before landing; the default lands records untouched.
    prepare: Callable[[Record], Record] = field(default=lambda record: record)


@dataclass(frozen=True)
class Source:
    """One platform: its name, default connection, streams, lookback and accounts."""

    name: str
    default_conn_id: str
    # Days before the data interval re-fetched on every run, because the platform restates them.
    lookback_days: int
    streams: Mapping[str, StreamReader]
    # The partitions to fan out over, as configured on the connection.
    list_accounts: Callable[[Connection], list[str]]
    # Builds an HTTP client carrying this platform's auth and error classification.
    make_client: Callable[[Connection, ExtractContext, RetrySettings], HttpClient]

    def reader(self, stream: str) -> StreamReader:
        try:
            return self.streams[stream]
        except KeyError:
            raise KeyError(f"source '{self.name}' has no stream '{stream}'; it has {sorted(self.streams)}") from None

"""The entry points the Airflow DAG calls: ``list_accounts`` to fan out, ``extract_partition`` per partition.

``extract_partition`` fetches one (source, stream, account, window) and lands it; it returns the manifest
path, which is what should travel through XCom (a path, not the data). Which client, reader and record
preparation a stream uses comes from its declaration in the catalog.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from extractors.catalog import AccountSettings, Source, Stream, get_source, resolve
from extractors.connections import Connection, ConnectionConfigError, extra_str, extra_str_list, get_connection
from extractors.errors import ConfigurationError, DayNotOver, ExtractContext
from extractors.http import RetrySettings
from extractors.landing import LandingTarget, land
from extractors.readiness import complete_at, complete_part, zone
from extractors.streams import Window

log = logging.getLogger(__name__)

# A connection's list of accounts that are paused or ended: they may answer empty without failing the run.
PAUSED_ACCOUNTS_KEY = "paused_accounts"


class _Counter:
    """Counts records as they stream past, for the throughput log line."""

    def __init__(self) -> None:
        self.count = 0

    def wrap(self, records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for record in records:
            self.count += 1
            yield record


def extract_partition(
    source: str,
    stream: str,
    account: str,
    window: Window,
    run_id: str,
    landing_root: Path,
    conn_id: str | None = None,
    retry: RetrySettings | None = None,
    complete_as_of: datetime | None = None,
) -> Path:
    """Extract one partition and land it atomically; return the path of its ``manifest.json``.

    The window is first cut to the days complete at ``complete_as_of`` (the DAG run's data interval end;
    the wall clock when not given) on the account's clock, so a day still going on is never landed.
    Raises an ``ExtractError`` naming the partition when the platform fails; in that case nothing is
    landed. ``conn_id`` defaults to the one the source declares.
    """
    declared = get_source(source)
    declared_stream = declared.stream(stream)
    read = resolve(declared_stream.reader)
    prepare = resolve(declared_stream.prepare) if declared_stream.prepare else _unchanged
    conn_id = conn_id or declared.conn_id
    context = ExtractContext(source, stream, account, window, conn_id)
    try:
        conn = get_connection(conn_id)
    except ConnectionConfigError as exc:
        raise ConfigurationError(context, str(exc)) from None

    # Metadata only (when the data was read); the window, not the clock, decides what is fetched.
    extracted_at = datetime.now(UTC)
    paused = account in extra_str_list(conn, PAUSED_ACCOUNTS_KEY)
    target = LandingTarget(Path(landing_root), source, declared_stream, account, window, run_id, paused)
    counter = _Counter()
    started = time.monotonic()
    with resolve(declared.client)(conn, context, retry or RetrySettings()) as client:
        try:
            settings = resolve(declared.account_settings)(client, conn, account) if declared.account_settings else None
            window = _complete_window(declared, context, settings, complete_as_of or extracted_at, extracted_at)
            window = _within_history(
                declared, declared_stream, context, settings, window, complete_as_of or extracted_at
            )
            target = replace(target, window=window, account_settings=settings)
            fetched = read(client, conn, account, window)
            # Preparing a record may need a connection too (the PII hashing key): a missing one fails fast.
            manifest_path = land(target, (prepare(r) for r in counter.wrap(fetched)), extracted_at)
        except ConnectionConfigError as exc:
            raise ConfigurationError(context, str(exc)) from None
        elapsed = time.monotonic() - started
        log.info(
            "%s: %d records in %d requests, %.2f s (%.0f records/s) -> %s",
            context.describe(),
            counter.count,
            client.requests_made,
            elapsed,
            counter.count / elapsed if elapsed > 0 else 0.0,
            manifest_path,
        )
    return manifest_path


def _complete_window(
    declared: Source, context: ExtractContext, settings: AccountSettings | None, as_of: datetime, now: datetime
) -> Window:
    """The context's window cut to the days complete at ``as_of`` in the account's zone.

    A data interval that ends in the future (a run triggered early) would still fetch a day in progress,
    so the wall clock must also be past the last day's end; until it is, the task retries later.
    """
    readiness = declared.readiness
    zone_name = readiness.timezone or (settings.timezone if settings else None)
    if zone_name is None:
        raise ConfigurationError(context, "the source cuts days in each account's zone but read no account settings")
    tz = zone(zone_name)
    window = complete_part(context.window, as_of, tz, readiness.hour)
    if window is None:
        raise DayNotOver(
            context,
            f"no day of the window is complete at {as_of.isoformat()} in {zone_name} "
            f"(a day is complete at {readiness.hour:02d}:00 the next day)",
        )
    ends = complete_at(window.last_day, tz, readiness.hour)
    if ends > now:
        raise DayNotOver(context, f"{window.last_day} in {zone_name} is complete only at {ends.isoformat()}")
    if window != context.window:
        log.info(
            "%s: cut to %s, the days complete at %s in the account's zone %s",
            context.describe(),
            window,
            as_of.isoformat(),
            zone_name,
        )
    return window


def _within_history(
    declared: Source,
    stream: Stream,
    context: ExtractContext,
    settings: AccountSettings | None,
    window: Window,
    as_of: datetime,
) -> Window:
    """``window`` without the days older than the platform still serves (``Stream.history_days``).

    Those days can never be read, so a long initial load starts where the platform's memory does, and the
    coverage ledger starts there too; a window entirely before it fails, naming what was asked.
    """
    if stream.history_days is None:
        return window
    zone_name = declared.readiness.timezone or (settings.timezone if settings else "UTC")
    earliest = as_of.astimezone(zone(zone_name)).date() - timedelta(days=stream.history_days)
    if window.start >= earliest:
        return window
    if window.end <= earliest:
        raise ConfigurationError(
            context,
            f"{declared.name} serves {stream.name} for the last {stream.history_days} days only (from {earliest} "
            f"at {as_of.isoformat()}): no day of the window can be read",
        )
    log.warning(
        "%s: %s serves %s for the last %d days only; reading from %s (the days before can no longer be read)",
        context.describe(),
        declared.name,
        stream.name,
        stream.history_days,
        earliest,
    )
    return Window(earliest, window.end)


def _unchanged(record: dict[str, Any]) -> dict[str, Any]:
    return record


def list_accounts(source: str, conn_id: str | None = None) -> list[str]:
    """The accounts (partitions) configured for ``source`` on its connection, where its declaration says."""
    declared = get_source(source)
    return accounts_of(declared, get_connection(conn_id or declared.conn_id))


def accounts_of(source: Source, conn: Connection) -> list[str]:
    # Listing accounts needs no token, so a connection without one still fans out (and each extract task
    # then fails with the missing-token error, naming its account).
    key = source.accounts.extra_key
    if source.accounts.many:
        accounts = extra_str_list(conn, key)
    else:
        single = extra_str(conn, key)
        accounts = [single] if single else []
    if not accounts:
        raise ConnectionConfigError(f"connection '{conn.conn_id}' lists no extra.{key} (the accounts of {source.name})")
    return accounts


def main(argv: list[str] | None = None) -> None:
    """``python -m extractors.run <source> <stream> <account|all> 2026-10-01 2026-11-01 --run-id manual``."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("source")
    parser.add_argument("stream")
    parser.add_argument("account", help="an account id, or 'all' for every account on the connection")
    parser.add_argument("start", type=date.fromisoformat, help="window start (inclusive)")
    parser.add_argument("end", type=date.fromisoformat, help="window end (exclusive)")
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--landing-root", type=Path, default=Path("var/landing"))
    parser.add_argument("--conn-id")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    accounts = list_accounts(args.source, args.conn_id) if args.account == "all" else [args.account]
    for account in accounts:
        path = extract_partition(
            args.source,
            args.stream,
            account,
            Window(args.start, args.end),
            args.run_id,
            args.landing_root,
            conn_id=args.conn_id,
        )
        print(path)


if __name__ == "__main__":
    main()

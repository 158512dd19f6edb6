"""The coverage ledger: which days of each (source, stream, account) the warehouse holds completely.

Every load records, in its own transaction, the days its landed windows covered. Planning reads the ledger
back: a run reaches back to the first day missing since the account's first covered day (an outage longer
than the lookback would otherwise lose those days for good), and fails naming the missing dates when they
lie further back than it may reach. dbt reads the ledger too, so a mart's "complete days" are the days
actually loaded, not the span between the first and last load.

A day is an account-local day for restated metrics (ad insights are dated in the account's zone), a UTC
day of ``updated_at`` for versioned entities (orders are asked for by update time), and the snapshot's day
for snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from extractors.catalog import LoadStrategy

LEDGER = "_pipeline.coverage"
SAMPLE = 10

LEDGER_DDL = f"""
create schema if not exists _pipeline;
create table if not exists {LEDGER} (
    source varchar not null,
    stream varchar not null,
    account varchar not null,
    day date not null,
    run_id varchar not null,
    loaded_at timestamptz not null,
    primary key (source, stream, account, day)
)
"""


class CoverageGap(RuntimeError):
    """Days are missing further back than a run may reach; an operator fills them with a fill range.

    ``gaps`` holds one line per (source, stream, account) naming its days; ``earliest`` is the first of
    them all, where the fill range should start.
    """

    def __init__(self, gaps: list[str], earliest: date) -> None:
        super().__init__(
            "\n".join(gaps) + f'\ntrigger the DAG with {{"fill_start": "{earliest}"}} to load them, '
            "or raise max_reach_back_days"
        )
        self.gaps = gaps
        self.earliest = earliest


def ensure_ledger(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(LEDGER_DDL)


def covered_range(strategy: LoadStrategy, window_start: date, window_end: date) -> tuple[date, date]:
    """The days ``[first, end)`` a landed window covers: a snapshot covers only its own day."""
    if strategy is LoadStrategy.SNAPSHOT:
        return window_end - timedelta(days=1), window_end
    return window_start, window_end


def record_coverage(
    con: duckdb.DuckDBPyConnection,
    *,
    source: str,
    stream: str,
    account: str,
    first: date,
    end: date,
    run_id: str,
) -> None:
    """Mark ``[first, end)`` covered by ``run_id``, inside the caller's load transaction."""
    key = {"source": source, "stream": stream, "account": account, "first": first, "end": end}
    con.execute(
        f"delete from {LEDGER} where source = $source and stream = $stream and account = $account "
        "and day >= $first and day < $end",
        key,
    )
    con.execute(
        f"""
        insert into {LEDGER}
        select $source, $stream, $account, cast(day as date), $run_id, current_timestamp
        from generate_series(cast($first as timestamp), cast($end as timestamp) - interval 1 day, interval 1 day)
            as days(day)
        """,
        {**key, "run_id": run_id},
    )


@dataclass(frozen=True)
class Coverage:
    """What the ledger says about one (source, stream, account) before a day."""

    first_covered: date | None
    missing: tuple[date, ...]  # uncovered days between first_covered and the day asked about


def coverage_before(
    warehouse: Path, source: str, stream: str, accounts: list[str], before: date
) -> dict[str, Coverage]:
    """Each account's first covered day and every uncovered day after it, up to ``before`` (exclusive).

    One read-only look at the ledger for all the stream's accounts (a few rows per account and day); a
    warehouse not yet created has covered nothing.
    """
    days: dict[str, set[date]] = {account: set() for account in accounts}
    if warehouse.exists():
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            if con.execute(
                "select 1 from duckdb_tables() where schema_name = '_pipeline' and table_name = 'coverage'"
            ).fetchall():
                rows = con.execute(
                    f"select account, day from {LEDGER} where source = $source and stream = $stream "
                    "and account in (select unnest($accounts)) and day < $before",
                    {"source": source, "stream": stream, "accounts": accounts, "before": before},
                ).fetchall()
                for account, day in rows:
                    days[account].add(day)
        finally:
            con.close()
    return {account: _coverage(covered, before) for account, covered in days.items()}


def _coverage(covered: set[date], before: date) -> Coverage:
    if not covered:
        return Coverage(None, ())
    first = min(covered)
    span = (before - first).days
    return Coverage(first, tuple(d for d in (first + timedelta(days=i) for i in range(span)) if d not in covered))


def describe_days(days: tuple[date, ...] | list[date]) -> str:
    """Days as ranges (``2026-10-01..2026-10-09, 2026-10-12``), so a long gap stays one readable line."""
    ranges: list[tuple[date, date]] = []
    for day in sorted(days):
        if ranges and day == ranges[-1][1] + timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    shown = [str(a) if a == b else f"{a}..{b}" for a, b in ranges[:SAMPLE]]
    if len(ranges) > SAMPLE:
        shown.append(f"(+{len(ranges) - SAMPLE} more ranges)")
    return ", ".join(shown)

"""The date window one extraction covers.

A window is derived from the DAG run's data interval, never from the wall clock, so re-running a past
interval (a retry or a backfill) asks the platform for exactly the same dates as the first run did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class Window:
    """A half-open range of dates ``[start, end)``.

    Half-open so consecutive windows tile without overlap or gaps, and so ``end`` can be the data
    interval's end as Airflow hands it over.
    """

    start: date
    end: date

    def __post_init__(self) -> None:
        for value in (self.start, self.end):
            # A datetime is a date subclass; silently dropping its time and zone would shift a window
            # by a day for a run scheduled in another time zone, so the caller must decide.
            if isinstance(value, datetime) or not isinstance(value, date):
                raise TypeError(f"Window bounds must be datetime.date, got {value!r}")
        if self.start >= self.end:
            raise ValueError(f"empty window: start {self.start} is not before end {self.end}")

    @property
    def last_day(self) -> date:
        """The last date inside the window (for APIs with inclusive bounds)."""
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def folder_name(self) -> str:
        """The landing-zone folder component, ``window=<start>_<end>`` without the prefix."""
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def __str__(self) -> str:
        return f"[{self.start.isoformat()}, {self.end.isoformat()})"


def extraction_window(
    interval_start: date,
    interval_end: date,
    lookback_days: int,
    initial_load_days: int | None = None,
) -> Window:
    """The window to fetch for one data interval: widened backwards by the source's lookback.

    Platforms restate recent days (ad conversions arrive late, orders are refunded after they were
    placed), so each run re-fetches ``lookback_days`` before the interval. ``initial_load_days`` lets a
    first run reach further back than the lookback. The result is
    ``[min(interval_start - lookback, interval_end - initial_load_days), interval_end)``.
    """
    if lookback_days < 0:
        raise ValueError(f"lookback_days must be >= 0, got {lookback_days}")
    start = interval_start - timedelta(days=lookback_days)
    if initial_load_days is not None:
        if initial_load_days < 1:
            raise ValueError(f"initial_load_days must be >= 1, got {initial_load_days}")
        start = min(start, interval_end - timedelta(days=initial_load_days))
    return Window(start, interval_end)

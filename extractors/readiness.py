"""Which days of a window are over, on the account's own clock, so a run never lands a day still going on.

A day D of an account is complete at ``readiness.hour`` o'clock on D+1 in the account's zone (an account
in America/Los_Angeles finishes 2026-11-22 at 08:00 UTC on the 23rd). The window a run extracts is cut to
the days complete at the end of its data interval, not at the wall clock, so a rerun of the same interval
fetches the same days; a later run picks the cut days up, since its window reaches back over them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from extractors.streams import Window


def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; ValueError naming it when the platform sent something else."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r} (an IANA name such as 'Asia/Shanghai' is expected)") from error


def complete_at(day: date, tz: ZoneInfo, hour: int) -> datetime:
    """The instant ``day`` is complete: ``hour`` o'clock of the next day on the account's clock, in UTC."""
    return datetime.combine(day + timedelta(days=1), time(hour), tzinfo=tz).astimezone(UTC)


def last_complete_day(as_of: datetime, tz: ZoneInfo, hour: int) -> date:
    """The latest day that is complete at ``as_of``."""
    if as_of.tzinfo is None:
        raise ValueError("as_of must carry its time zone")
    candidate = as_of.astimezone(tz).date()
    while complete_at(candidate, tz, hour) > as_of:
        candidate -= timedelta(days=1)
    return candidate


def complete_part(window: Window, as_of: datetime, tz: ZoneInfo, hour: int) -> Window | None:
    """``window`` without its days not yet complete at ``as_of``; None when no day of it is."""
    end = min(window.end, last_complete_day(as_of, tz, hour) + timedelta(days=1))
    return Window(window.start, end) if end > window.start else None

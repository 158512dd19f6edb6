"""What a section hands to the renderer: tiles, tables and charts, with raw values kept beside labels.

Values stay numbers here (formatted only by the renderer), so tests can compare them with figures
computed by hand and both the HTML and the text part format them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """An inclusive range of days in the brief's time zone: one day (daily brief) or Monday..Sunday (weekly)."""

    start: date
    end: date
    kind: str = "daily"  # daily | weekly: picks the words, the trend buckets and the ledger kind

    @classmethod
    def day(cls, day: date) -> Period:
        return cls(day, day, "daily")

    @classmethod
    def week(cls, day: date) -> Period:
        """The Monday..Sunday week holding ``day``."""
        monday = day - timedelta(days=day.weekday())
        return cls(monday, monday + timedelta(days=6), "weekly")

    @classmethod
    def completed_before(cls, kind: str, today: date) -> Period:
        """The last complete period before ``today`` (a local date): yesterday, or last Monday..Sunday."""
        if kind == "weekly":
            return cls.week(today - timedelta(days=7))
        if kind == "daily":
            return cls.day(today - timedelta(days=1))
        raise ValueError(f"unknown period kind {kind!r}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def key(self) -> str:
        """Identifies the period in the send ledger."""
        return self.start.isoformat() if self.days == 1 else f"{self.start.isoformat()}..{self.end.isoformat()}"

    def previous(self) -> Period:
        """The same number of days right before."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1), self.kind)

    def last_year(self) -> Period:
        """The same dates a year earlier (29 February becomes the 28th); a week, the same weekdays 52 weeks back."""
        if self.kind == "weekly":
            return Period(self.start - timedelta(weeks=52), self.end - timedelta(weeks=52), self.kind)
        return Period(_year_before(self.start), _year_before(self.end), self.kind)

    def trend(self) -> list[Period]:
        """The chart's buckets, oldest first, ending with this period: 14 days, or 8 weeks of weekly sums."""
        count = TREND_BUCKETS[self.kind]
        buckets = [self]
        while len(buckets) < count:
            buckets.insert(0, buckets[0].previous())
        return buckets

    def month_to_date(self) -> tuple[Period, Period]:
        """(1st of the month .. the period's last day, the previous month's same days), for pacing."""
        end = self.end
        current = Period(end.replace(day=1), end, "month_to_date")
        before_end = end.replace(day=1) - timedelta(days=1)  # the previous month's last day
        before = Period(before_end.replace(day=1), before_end.replace(day=min(end.day, before_end.day)), current.kind)
        return current, before

    def label(self) -> str:
        return self.start.isoformat() if self.days == 1 else f"{self.start.isoformat()} – {self.end.isoformat()}"


TREND_BUCKETS = {"daily": 14, "weekly": 8}


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Tile:
    """One KPI: its value, and its change against the previous period and last year (None: not comparable)."""

    key: str
    label: str
    value: float | None
    kind: str  # money | count | multiple | percent
    vs_previous: float | None = None
    vs_last_year: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class Column:
    label: str
    kind: str  # text | money | count | multiple | percent


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class Chart:
    """A PNG attached inline; ``cid`` is referenced from the HTML as ``cid:<cid>``."""

    cid: str
    title: str
    png: bytes


@dataclass
class Section:
    key: str
    title: str
    tiles: list[Tile] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # caveats printed under the section
    empty_note: str | None = None  # set when the area has no data for the period
    compare_label: str | None = None  # what the tiles' change is against, when not the previous period

    @property
    def is_empty(self) -> bool:
        return self.empty_note is not None

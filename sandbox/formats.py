"""How values look on the wire: money as decimal strings, timestamps with offsets, the world's clock.

Kept in one place so the servers and the ground truth format values identically; a reconciliation
test that compares "123.40" with "123.4" would otherwise fail for the wrong reason.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
# Asia/Shanghai has had no daylight saving since 1991, so a fixed offset is exact and needs no tzdata.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def to_money(value: float | Decimal) -> Decimal:
    """Round to cents the way a platform's billing does (half up)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def shop_timestamp(moment: datetime) -> str:
    """A shop's REST timestamp: local shop time with its offset, whole seconds."""
    return moment.astimezone(SHANGHAI).replace(microsecond=0).isoformat()


def as_utc(value: date | datetime) -> datetime:
    """The world's notion of a moment: a date means midnight UTC, a naive datetime is UTC."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def parse_moment(text: str, default_tz: timezone = SHANGHAI) -> datetime:
    """Parse an ISO-8601 date or datetime from a query string.

    A '+' in an offset that a client forgot to percent-encode arrives as a space; accept it rather than
    reject a request whose meaning is clear. A value without offset is read in ``default_tz`` (the shop's
    zone, as shop APIs do).
    """
    text = text.strip()
    if " " in text and "T" in text:
        text = text.replace(" ", "+")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=default_tz)
    return moment.astimezone(UTC)


def parse_as_of(text: str) -> datetime:
    """``YYYY-MM-DD`` (midnight UTC) or a full ISO datetime (naive = UTC)."""
    text = text.strip()
    if len(text) == 10:
        return as_utc(date.fromisoformat(text))
    return as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))

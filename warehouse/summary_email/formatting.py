"""Numbers as a marketer reads them: ¥1.2万 in zh-CN, ¥12.3k in en; missing shows as a dash, never "nan".

Every function takes ``None`` (and NaN or infinity, which a division by zero upstream could produce) and
returns ``MISSING``, so templates never need their own checks.
"""

from __future__ import annotations

import math
from decimal import Decimal

MISSING = "—"
CURRENCY_SYMBOLS = {"CNY": "¥", "RMB": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}
# (threshold, suffix) from largest down; each language groups digits its own way.
_UNITS = {
    "zh-CN": ((1e8, "亿"), (1e4, "万")),
    "en": ((1e9, "B"), (1e6, "M"), (1e3, "k")),
}

Number = int | float | Decimal | None


def clean(value: Number) -> float | None:
    """A finite float, or None for missing, NaN and infinities."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def ratio(numerator: Number, denominator: Number) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is zero."""
    top, bottom = clean(numerator), clean(denominator)
    if top is None or bottom is None or bottom == 0:
        return None
    return top / bottom


def change(current: Number, previous: Number) -> float | None:
    """Relative change (0.1 = +10%); None when there is nothing to compare against."""
    now, before = clean(current), clean(previous)
    if now is None or before is None or before == 0:
        return None
    return (now - before) / abs(before)


def _trim(text: str) -> str:
    return text[:-2] if text.endswith(".0") else text


def compact(value: Number, language: str) -> str:
    """12,345 → '1.2万' (zh-CN) or '12.3k' (en); below the smallest unit, whole numbers with separators."""
    number = clean(value)
    if number is None:
        return MISSING
    sign = "-" if number < 0 else ""
    size = abs(number)
    units = _UNITS.get(language, _UNITS["en"])
    for index, (threshold, suffix) in enumerate(units):
        if round(size) >= threshold:
            scaled = round(size / threshold, 1)
            bigger = units[index - 1] if index > 0 else None
            if bigger and scaled * threshold >= bigger[0]:
                scaled, suffix = round(size / bigger[0], 1), bigger[1]
            return f"{sign}{_trim(f'{scaled:,.1f}')}{suffix}"
    return f"{sign}{size:,.0f}"


def count(value: Number, language: str) -> str:
    """Counts (orders, customers): exact below the first unit, compact above it."""
    return compact(value, language)


def money(value: Number, language: str, currency: str) -> str:
    """Money: compact above the first unit, two decimals below it (a ¥38.12 CPA keeps its cents)."""
    number = clean(value)
    if number is None:
        return MISSING
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    smallest = _UNITS.get(language, _UNITS["en"])[-1][0]
    sign = "-" if number < 0 else ""
    size = abs(number)
    body = compact(size, language) if round(size, 2) >= smallest else f"{size:,.2f}"
    return f"{sign}{symbol}{body}" if symbol else f"{sign}{body} {currency.upper()}"


def multiple(value: Number) -> str:
    """ROAS and MER: revenue per unit of spend, two decimals ('3.21')."""
    number = clean(value)
    return MISSING if number is None else f"{number:,.2f}"


def percent(value: Number, *, signed: bool = False) -> str:
    """0.1234 → '12.3%'; one decimal, none from 100% up, two below 1% so small rates do not read as 0."""
    number = clean(value)
    if number is None:
        return MISSING
    points = number * 100
    size = abs(points)
    if size >= 100:
        body = f"{size:,.0f}"
    elif size >= 1 or size == 0:
        body = f"{size:.1f}"
    else:
        body = f"{size:.2f}"
    if body.strip("0.") == "":
        return "0%" if not signed else "±0%"
    if points < 0:
        return f"−{body}%"
    return f"+{body}%" if signed else f"{body}%"


def format_value(value: Number, kind: str, language: str, currency: str) -> str:
    """One entry point for tiles and tables: ``kind`` is money, count, multiple or percent."""
    if kind == "money":
        return money(value, language, currency)
    if kind == "count":
        return count(value, language)
    if kind == "multiple":
        return multiple(value)
    if kind == "percent":
        return percent(value)
    raise ValueError(f"unknown value kind {kind!r}")

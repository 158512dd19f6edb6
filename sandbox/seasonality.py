"""The calendar the simulated brand lives by: weekdays, 618 and 双11.

Shared by the ad platform and the shop so that spend and orders rise together around promotions,
which is what the marts and the email have to show.
"""

from __future__ import annotations

from datetime import date

# Monday .. Sunday; Chinese e-commerce peaks at the weekend.
SHOP_WEEKDAY = (0.94, 0.95, 0.97, 1.00, 1.03, 1.08, 1.06)
AD_WEEKDAY = (0.97, 0.98, 0.99, 1.00, 1.01, 1.03, 1.02)

PEAK_618 = 3.0
PEAK_DOUBLE11 = 5.0


def _ramp(progress: float, peak: float) -> float:
    # Convex: demand builds slowly through pre-sales and explodes in the last days.
    return 1.0 + (peak - 1.0) * progress * progress


def promotion(day: date) -> str | None:
    """The promotion running on ``day`` ("618", "double11") or None."""
    if day.month == 6 and 1 <= day.day <= 18:
        return "618"
    if date(day.year, 10, 20) <= day <= date(day.year, 11, 11):
        return "double11"
    return None


def promo_factor(day: date) -> float:
    """Demand multiplier from promotions: ramps June 1 → 18 and Oct 20 → Nov 11, 1.0 otherwise."""
    if day.month == 6 and 1 <= day.day <= 18:
        return _ramp((day.day - 1) / 17, PEAK_618)
    if day.month == 6 and day.day == 19:
        return 1.25  # the after-party: late payments and last coupons
    start, peak = date(day.year, 10, 20), date(day.year, 11, 11)
    if start <= day <= peak:
        return _ramp((day - start).days / (peak - start).days, PEAK_DOUBLE11)
    if day.month == 11 and day.day == 12:
        return 1.4
    return 1.0


def shop_demand(day: date) -> float:
    """Relative order volume of a day (1.0 = an ordinary Thursday)."""
    return SHOP_WEEKDAY[day.weekday()] * promo_factor(day)


def ad_budget_multiplier(day: date) -> float:
    """How far advertisers raise budgets on a day; less than demand, since budgets are planned."""
    return AD_WEEKDAY[day.weekday()] * promo_factor(day) ** 0.7


# Share of a day's orders per local hour (Asia/Shanghai): lunch and evening peaks.
HOURLY_WEIGHTS = (
    0.8, 0.4, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.0, 1.4, 1.7, 1.8,
    1.9, 1.6, 1.5, 1.5, 1.5, 1.6, 1.7, 2.0, 2.4, 2.6, 2.3, 1.5,
)  # fmt: skip


def hourly_weights(day: date) -> tuple[float, ...]:
    """Hour-of-day weights; on the peak days the midnight launch dominates."""
    if (day.month, day.day) in ((11, 11), (6, 18)):
        return (12.0,) + HOURLY_WEIGHTS[1:]
    return HOURLY_WEIGHTS

"""What the end-to-end run (tests/test_end_to_end.py) checks of the ECB feed.

The rates are not published themselves (the marts carry each amount's fx_rate), so the check reads the build
warehouse beside the serving file, where the run loaded raw and dbt built int_fx_rates_daily, and compares the
daily rates with the truth's forward-filled cross rates. ``fx_rates`` gives the rate every converted amount of
the run must have used, for the test that checks the ad marts in the reporting currency. There is no
``spoil`` hook on purpose: the end-to-end test spoils the first source that has one, and the ECB feed,
first by name, would take that place from the ad platforms.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sandbox.ecb_fx import truth
from tests.sources.ecb_fx.helpers import MAX_STALE_DAYS, daily_rates, expected_ecb_rates, seed_rates


def check_published(con: Any, world: Any, *, window_start: date, as_of: datetime, initial_days: int) -> None:
    """int_fx_rates_daily equals the truth on every day of the load whose carried-forward rate it can hold."""
    (serving,) = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    warehouse = Path(serving).with_name("warehouse.duckdb")
    # Days closer to the window's start than the staleness limit may carry a rate from before the window,
    # which the run did not load; from there on the warehouse holds every observation the truth uses.
    first, last = window_start + timedelta(days=MAX_STALE_DAYS), as_of.date() - timedelta(days=1)
    expected = expected_ecb_rates(world.part("ecb_fx"), first, last, as_of)
    got = daily_rates(warehouse, first, last)
    assert len(expected) == 4 * (last - first).days + 4  # every day has a rate carried at most 4 days
    assert {key: got.get(key) for key in expected} == expected


def fx_rates(world: Any, *, window_start: date, as_of: datetime) -> dict[tuple[date, str], Decimal]:
    """Rate to CNY per (day, currency) over the load, as int_fx_rates_daily holds it after the run: the truth's
    cross rate carried forward from the observations the run loaded (none before ``window_start``), the
    seed's where there is none."""
    last = as_of.date() - timedelta(days=1)
    ecb = truth.rates_to_reporting(
        world.part("ecb_fx"), window_start, last, as_of, max_stale_days=MAX_STALE_DAYS, loaded_since=window_start
    )
    # Before the window (a longer lookback of another source reaches there) only the seed has rates.
    rates = {key: rate for key, rate in seed_rates().items() if key[0] <= last}
    rates.update({key: rate for key, (rate, _) in ecb.items()})
    return rates

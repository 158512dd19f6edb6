"""Window arithmetic: what a run fetches depends only on its data interval."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from extractors.streams import Window, extraction_window


def test_daily_run_fetches_the_interval_plus_the_lookback() -> None:
    window = extraction_window(date(2026, 11, 22), date(2026, 11, 23), lookback_days=28)
    assert window == Window(date(2026, 10, 25), date(2026, 11, 23))
    assert window.days == 29
    assert window.last_day == date(2026, 11, 22)
    assert window.folder_name == "2026-10-25_2026-11-23"
    assert str(window) == "[2026-10-25, 2026-11-23)"


def test_initial_load_reaches_further_back_than_the_lookback() -> None:
    window = extraction_window(date(2026, 11, 22), date(2026, 11, 23), lookback_days=3, initial_load_days=90)
    assert window == Window(date(2026, 8, 25), date(2026, 11, 23))
    assert window.days == 90


def test_initial_load_shorter_than_the_lookback_keeps_the_lookback() -> None:
    window = extraction_window(date(2026, 11, 22), date(2026, 11, 23), lookback_days=28, initial_load_days=7)
    assert window.start == date(2026, 10, 25)


def test_zero_lookback_is_exactly_the_interval() -> None:
    assert extraction_window(date(2026, 11, 1), date(2026, 11, 8), lookback_days=0) == Window(
        date(2026, 11, 1), date(2026, 11, 8)
    )


def test_same_interval_gives_same_window_whenever_it_runs() -> None:
    # No clock involved: a backfill a year later asks for the same dates.
    first = extraction_window(date(2025, 1, 1), date(2025, 1, 2), lookback_days=3)
    again = extraction_window(date(2025, 1, 1), date(2025, 1, 2), lookback_days=3)
    assert first == again == Window(date(2024, 12, 29), date(2025, 1, 2))


@pytest.mark.parametrize(
    ("start", "end", "error"),
    [
        (date(2026, 1, 2), date(2026, 1, 2), ValueError),
        (date(2026, 1, 3), date(2026, 1, 2), ValueError),
        (datetime(2026, 1, 1), date(2026, 1, 2), TypeError),
    ],
)
def test_window_rejects_empty_reversed_and_datetime_bounds(start: date, end: date, error: type) -> None:
    with pytest.raises(error):
        Window(start, end)


def test_negative_lookback_is_rejected() -> None:
    with pytest.raises(ValueError, match="lookback_days"):
        extraction_window(date(2026, 1, 1), date(2026, 1, 2), lookback_days=-1)

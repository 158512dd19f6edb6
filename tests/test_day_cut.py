"""A run never lands a day that has not ended in the account's own time zone: the window is cut to the days
complete at the run's data interval end, on the clock of the zone the account's settings endpoint reports."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest

from extractors.catalog import get_source
from extractors.readiness import complete_part, last_complete_day
from extractors.streams import Window
from sandbox.meta import truth
from tests.helpers import AS_OF, read_landed, set_connections
from warehouse import pipeline, settings

LA = ZoneInfo("America/Los_Angeles")
SHANGHAI = ZoneInfo("Asia/Shanghai")
MIDNIGHT_UTC = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("as_of", "tz", "hour", "expected"),
    [
        # 00:00 UTC is 16:00 the day before in Los Angeles: 11-22 is still running there.
        (MIDNIGHT_UTC, LA, 0, date(2026, 11, 21)),
        # 08:00 UTC is midnight in Los Angeles: 11-22 has just ended.
        (datetime(2026, 11, 23, 8, 0, tzinfo=UTC), LA, 0, date(2026, 11, 22)),
        (datetime(2026, 11, 23, 7, 59, 59, tzinfo=UTC), LA, 0, date(2026, 11, 21)),
        # 00:00 UTC is 08:00 in Shanghai: 11-22 is over, and so is its 08:00 readiness hour (WeChat's).
        (MIDNIGHT_UTC, SHANGHAI, 0, date(2026, 11, 22)),
        (MIDNIGHT_UTC, SHANGHAI, 8, date(2026, 11, 22)),
        (datetime(2026, 11, 22, 23, 59, tzinfo=UTC), SHANGHAI, 8, date(2026, 11, 21)),
        # The night Los Angeles leaves daylight time (2026-11-01 has 25 hours): it ends at 08:00 UTC.
        (datetime(2026, 11, 2, 7, 59, tzinfo=UTC), LA, 0, date(2026, 10, 31)),
        (datetime(2026, 11, 2, 8, 0, tzinfo=UTC), LA, 0, date(2026, 11, 1)),
    ],
)
def test_last_complete_day_is_read_on_the_account_s_clock(as_of: datetime, tz: ZoneInfo, hour: int, expected: date):
    assert last_complete_day(as_of, tz, hour) == expected


def test_a_window_is_cut_to_its_complete_days_or_to_nothing() -> None:
    window = Window(date(2026, 11, 20), date(2026, 11, 23))
    assert complete_part(window, MIDNIGHT_UTC, LA, 0) == Window(date(2026, 11, 20), date(2026, 11, 22))
    assert complete_part(window, MIDNIGHT_UTC, SHANGHAI, 0) == window
    assert complete_part(Window(date(2026, 11, 22), date(2026, 11, 23)), MIDNIGHT_UTC, LA, 0) is None


def test_the_los_angeles_account_s_running_day_is_not_landed(
    sb: Any, var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run for [11-22, 11-23) UTC lands 11-22 for the Shanghai account, but only up to 11-21 for the Los
    Angeles one, whose 11-22 is still running at the interval's end; the next run's lookback picks it up."""
    set_connections(monkeypatch, sb)
    jobs = pipeline.plan_extractions(
        "meta", "ads_insights", interval_start=date(2026, 11, 22), interval_end=AS_OF, run_id="cut"
    )
    assert {job["complete_as_of"] for job in jobs} == {"2026-11-23T00:00:00+00:00"}
    manifests = {job["account"]: pipeline.run_extraction_job(job) for job in jobs}
    landed = {account: read_landed(Path(path)) for account, path in manifests.items()}
    windows = {account: (m.manifest["window_start"], m.manifest["window_end"]) for account, m in landed.items()}
    assert windows == {"act_1001": ("2026-10-25", "2026-11-23"), "act_2002": ("2026-10-25", "2026-11-22")}
    assert {a: m.manifest["account_settings"] for a, m in landed.items()} == {
        "act_1001": {"timezone": "Asia/Shanghai", "currency": "CNY"},
        "act_2002": {"timezone": "America/Los_Angeles", "currency": "USD"},
    }
    meta = sb.world.part("meta")
    la_rows = truth.insight_rows(meta, "act_2002", date(2026, 10, 25), date(2026, 11, 21), AS_OF)
    assert landed["act_2002"].records == la_rows
    assert max(r["date_start"] for r in landed["act_2002"].records) == "2026-11-21"
    assert max(r["date_start"] for r in landed["act_1001"].records) == "2026-11-22"

    pipeline.load_and_validate_raw(list(manifests.values()))
    con = duckdb.connect(str(settings.warehouse_path()), read_only=True)
    try:
        ledger = con.execute(
            "select account, min(day)::varchar, max(day)::varchar, count(*) from _pipeline.coverage "
            "group by 1 order by 1"
        ).fetchall()
        reported = con.execute(
            "select source, account, timezone, currency from raw.account_settings order by 2"
        ).fetchall()
    finally:
        con.close()
    assert ledger == [("act_1001", "2026-10-25", "2026-11-22", 29), ("act_2002", "2026-10-25", "2026-11-21", 28)]
    assert reported == [
        ("meta", "act_1001", "Asia/Shanghai", "CNY"),
        ("meta", "act_2002", "America/Los_Angeles", "USD"),
    ]


def test_a_window_with_no_complete_day_waits_instead_of_landing(sb: Any, tmp_path: Path, monkeypatch) -> None:
    from extractors.errors import DayNotOver
    from extractors.run import extract_partition
    from tests.helpers import FAST_RETRY

    set_connections(monkeypatch, sb)
    with pytest.raises(DayNotOver) as waiting:
        extract_partition(
            "meta", "ads_insights", "act_2002", Window(date(2026, 11, 22), AS_OF), "early", tmp_path,
            retry=FAST_RETRY, complete_as_of=MIDNIGHT_UTC,
        )  # fmt: skip
    assert str(waiting.value) == (
        "meta/ads_insights account=act_2002 window=[2026-11-22, 2026-11-23): no day of the window is complete at "
        "2026-11-23T00:00:00+00:00 in America/Los_Angeles (a day is complete at 00:00 the next day)"
    )
    assert waiting.value.retryable is True
    assert list(tmp_path.iterdir()) == []


def test_the_shop_s_zone_and_currency_come_from_its_settings_endpoint(
    sb: Any, var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_connections(monkeypatch, sb)
    (job,) = pipeline.plan_extractions(
        "shopify", "orders", interval_start=date(2026, 11, 22), interval_end=AS_OF, run_id="s"
    )
    landed = read_landed(Path(pipeline.run_extraction_job(job)))
    assert landed.manifest["account_settings"] == {"timezone": "Asia/Shanghai", "currency": "CNY"}
    # Shanghai's 11-22 ended at 16:00 UTC on the 22nd: the window is not cut.
    assert (landed.manifest["window_start"], landed.manifest["window_end"]) == ("2026-11-19", "2026-11-23")
    assert sb.requests("shopify")[0][:2] == ("GET", f"/admin/api/{get_source('shopify').api_version}/shop.json")

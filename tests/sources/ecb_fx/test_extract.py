"""Extracting ECB reference rates over real HTTP from the sandbox: SDMX-JSON decoded into one record per
observation, "No results found." as zero rows, 503s retried, a 400 failed fast, a body that does not hold
refused naming the rule, and a day landed only once its rate is published."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from extractors.connections import get_connection
from extractors.ecb_fx.client import make_client, read_reference_rates
from extractors.errors import ApiError, ExtractContext, MalformedResponse
from extractors.run import extract_partition
from extractors.streams import Window
from sandbox.ecb_fx import truth
from tests.helpers import AS_OF, FAST_RETRY, read_landed
from warehouse import pipeline

SOURCE, STREAM = "ecb_fx", "reference_rates"
WEEK = Window(date(2026, 11, 16), date(2026, 11, 23))


def extract(landing_root: Path, account: str, window: Window, run_id: str = "r", **options: Any) -> Any:
    path = extract_partition(SOURCE, STREAM, account, window, run_id, landing_root, retry=FAST_RETRY, **options)
    return read_landed(path)


def test_a_week_decodes_into_one_record_per_observation(connections: Any, landing_root: Path, ecb: Any) -> None:
    landed = extract(landing_root, "USD", WEEK)
    assert landed.records == [
        {"rate_date": f"2026-11-{day}", "currency": "USD", "base_currency": "EUR", "units_per_base": value,
         "series_key": "D.USD.EUR.SP00.A"}
        for day, value in (("16", 1.0865), ("17", 1.0846), ("18", 1.0865), ("19", 1.0847), ("20", 1.0852))
    ]  # fmt: skip
    expected = truth.observations(ecb, "USD", WEEK.start, WEEK.last_day, AS_OF)
    assert [Decimal(str(r["units_per_base"])) for r in landed.records] == [o.units_per_eur for o in expected]
    # startPeriod and endPeriod are inclusive: the window's last day is asked for as endPeriod.
    ((_, path, status),) = connections.data_requests(SOURCE)
    assert path == "/service/data/EXR/D.USD.EUR.SP00.A?startPeriod=2026-11-16&endPeriod=2026-11-22&format=jsondata"
    assert status == 200


def test_every_currency_of_the_connection_is_a_partition(connections: Any) -> None:
    jobs = pipeline.plan_extractions(
        SOURCE, STREAM, interval_start=date(2026, 11, 22), interval_end=date(2026, 11, 23), run_id="plan"
    )
    # Five days of lookback before the one-day interval.
    assert {(job["account"], job["window_start"], job["window_end"]) for job in jobs} == {
        (currency, "2026-11-17", "2026-11-23") for currency in ("CNY", "USD", "HKD")
    }


def test_a_weekend_window_lands_zero_rows_not_an_error(connections: Any, landing_root: Path) -> None:
    landed = extract(landing_root, "HKD", Window(date(2026, 11, 21), date(2026, 11, 23)))
    assert landed.records == [] and landed.manifest["row_count"] == 0
    assert [status for _, _, status in connections.data_requests(SOURCE)] == [404]


def test_the_easter_holidays_land_zero_rows_and_the_days_around_them_their_rates(
    connections: Any, landing_root: Path
) -> None:
    holidays = extract(landing_root, "CNY", Window(date(2026, 4, 3), date(2026, 4, 7)), "easter")
    assert holidays.records == []
    around = extract(landing_root, "CNY", Window(date(2026, 4, 2), date(2026, 4, 8)), "around")
    assert [(r["rate_date"], r["units_per_base"]) for r in around.records] == [
        ("2026-04-02", 7.932),
        ("2026-04-07", 7.9338),
    ]


def test_a_burst_of_503s_is_retried(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "server_error", times=2)
    landed = extract(landing_root, "USD", WEEK)
    assert len(landed.records) == 5
    assert [status for _, _, status in connections.data_requests(SOURCE)] == [503, 503, 200]


def test_a_rate_limit_is_waited_out(connections: Any, landing_root: Path) -> None:
    connections.inject(SOURCE, "rate_limit")
    assert len(extract(landing_root, "USD", WEEK).records) == 5
    assert [status for _, _, status in connections.data_requests(SOURCE)] == [429, 200]


def test_a_400_fails_fast_naming_the_partition_and_where_the_key_comes_from(
    connections: Any, landing_root: Path
) -> None:
    with pytest.raises(ApiError) as failed:
        extract(landing_root, "usd", WEEK)
    message = str(failed.value)
    assert message.startswith("ecb_fx/reference_rates account=usd window=[2026-11-16, 2026-11-23): ")
    assert "HTTP 400: Invalid series key 'D.usd.EUR.SP00.A'" in message
    assert "extra.currencies of connection 'ecb_fx'" in message
    assert failed.value.retryable is False
    assert len(connections.data_requests(SOURCE)) == 1  # not retried
    assert list(landing_root.iterdir()) == []


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("zero_rate", "rule=observation_value_positive: series 0:0:0:0:0 observation 0 (TIME_PERIOD 2026-11-16) is 0"),
        ("wrong_currency", "rule=series_matches_request: series 0:0:0:0:0 is {'CURRENCY': 'JPY'}"),
        ("malformed", "invalid JSON in a"),
    ],
)
def test_a_body_that_does_not_hold_fails_the_extraction_naming_the_rule(
    connections: Any, landing_root: Path, fault: str, expected: str
) -> None:
    connections.inject(SOURCE, fault)
    with pytest.raises(MalformedResponse) as failed:
        extract(landing_root, "USD", WEEK)
    message = str(failed.value)
    assert message.startswith("ecb_fx/reference_rates account=USD window=[2026-11-16, 2026-11-23): malformed response")
    assert expected in message
    assert failed.value.retryable is False
    assert list(landing_root.iterdir()) == []


def test_fields_the_api_adds_are_ignored(connections: Any, landing_root: Path) -> None:
    plain = extract(landing_root, "USD", WEEK, "plain").records
    connections.inject(SOURCE, "schema_drift")
    assert extract(landing_root, "USD", WEEK, "drift").records == plain


def _read(account: str, window: Window) -> list[dict[str, Any]]:
    """The reader alone, without the readiness cut ``extract_partition`` applies first."""
    conn = get_connection("ecb_fx")
    context = ExtractContext(SOURCE, STREAM, account, window, conn.conn_id)
    with make_client(conn, context, FAST_RETRY) as client:
        return list(read_reference_rates(client, conn, account, window))


def test_before_16_frankfurt_time_the_day_is_not_there(connections: Any) -> None:
    today = Window(date(2026, 11, 19), date(2026, 11, 21))
    connections.set_as_of(datetime(2026, 11, 20, 14, 59, tzinfo=UTC))  # 15:59 in Frankfurt
    assert [r["rate_date"] for r in _read("USD", today)] == ["2026-11-19"]
    assert _read("USD", Window(date(2026, 11, 20), date(2026, 11, 21))) == []
    connections.set_as_of(datetime(2026, 11, 20, 15, 0, tzinfo=UTC))
    assert [r["rate_date"] for r in _read("USD", today)] == ["2026-11-19", "2026-11-20"]


def test_a_run_lands_a_day_only_after_it_ended_in_frankfurt(connections: Any, landing_root: Path) -> None:
    window = Window(date(2026, 11, 18), date(2026, 11, 21))
    connections.set_as_of(datetime(2026, 11, 21, 6, 0, tzinfo=UTC))
    # 23:59 on the 20th in Frankfurt: the 20th is published, but not over, so it is left for the next run.
    early = extract(landing_root, "USD", window, "early", complete_as_of=datetime(2026, 11, 20, 22, 59, tzinfo=UTC))
    assert (early.manifest["window_start"], early.manifest["window_end"]) == ("2026-11-18", "2026-11-20")
    assert [r["rate_date"] for r in early.records] == ["2026-11-18", "2026-11-19"]
    late = extract(landing_root, "USD", window, "late", complete_as_of=datetime(2026, 11, 20, 23, 0, tzinfo=UTC))
    assert late.manifest["window_end"] == "2026-11-21"
    assert [r["rate_date"] for r in late.records] == ["2026-11-18", "2026-11-19", "2026-11-20"]

"""The ECB data API sandbox over HTTP: SDMX-JSON shape, inclusive periods, "No results found." as a 404, 400 for
a malformed key, publication at 16:00 Frankfurt time, no authentication, and the injectable faults."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sandbox import Sandbox
from tests.sources.ecb_fx.api import fetch


def _observations(body: dict) -> dict[str, dict[str, float]]:
    """{currency: {TIME_PERIOD: value}} decoded by hand from an SDMX-JSON body."""
    dimensions = body["structure"]["dimensions"]
    currencies = [v["id"] for v in dimensions["series"][1]["values"]]
    periods = [v["id"] for v in dimensions["observation"][0]["values"]]
    decoded = {}
    for key, series in body["dataSets"][0]["series"].items():
        currency = currencies[int(key.split(":")[1])]
        decoded[currency] = {periods[int(i)]: obs[0] for i, obs in series["observations"].items()}
    return decoded


def test_a_week_of_two_currencies_in_sdmx_json(sb: Sandbox) -> None:
    response = fetch(sb, "D.USD+CNY.EUR.SP00.A", "2026-11-19", "2026-11-23")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.sdmx.data+json")
    body = response.json()
    series = body["structure"]["dimensions"]["series"]
    assert [d["id"] for d in series] == ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]
    assert sorted(body["dataSets"][0]["series"]) == ["0:0:0:0:0", "0:1:0:0:0"]
    assert body["dataSets"][0]["series"]["0:0:0:0:0"]["observations"]["0"] == [1.0847, 0, 0, None, None]
    # The weekend of the 21st and 22nd has no observation, and at the sandbox's now (00:00 UTC on the 23rd)
    # the 23rd is not published yet.
    assert _observations(body) == {
        "USD": {"2026-11-19": 1.0847, "2026-11-20": 1.0852},
        "CNY": {"2026-11-19": 7.7653, "2026-11-20": 7.772},
    }
    sb.set_as_of(datetime(2026, 11, 24, tzinfo=UTC))
    later = fetch(sb, "D.CNY.EUR.SP00.A", "2026-11-20", "2026-11-23")
    # Both bounds are inclusive.
    assert _observations(later.json()) == {"CNY": {"2026-11-20": 7.772, "2026-11-23": 7.7548}}


def test_a_weekend_has_no_results_and_says_so_in_a_404(sb: Sandbox) -> None:
    response = fetch(sb, "D.USD.EUR.SP00.A", "2026-11-21", "2026-11-22")
    assert (response.status_code, response.text) == (404, "No results found.")
    holiday = fetch(sb, "D.USD.EUR.SP00.A", "2026-04-03", "2026-04-06")  # Good Friday to Easter Monday
    assert (holiday.status_code, holiday.text) == (404, "No results found.")
    unknown = fetch(sb, "D.JPY.EUR.SP00.A", "2026-11-20", "2026-11-20")  # a currency the sandbox lacks
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    ("key", "params", "expected"),
    [
        ("D.USD.EUR.SP00", {}, "has 5 dimensions"),
        ("D.usd.EUR.SP00.A", {}, "is not a list of currency codes"),
        ("D.USD.GBP.SP00.A", {}, "serves only D.<currencies>.EUR.SP00.A"),
        ("D.USD.EUR.SP00.A", {"startPeriod": "20-11-2026"}, "Invalid startPeriod"),
        ("D.USD.EUR.SP00.A", {"format": "structurespecificdata"}, "only format=jsondata"),
        ("D.USD.EUR.SP00.A", {"startPeriod": "2026-11-21", "endPeriod": "2026-11-20"}, "is after endPeriod"),
    ],
)
def test_a_malformed_query_is_a_400(sb: Sandbox, key: str, params: dict, expected: str) -> None:
    response = fetch(sb, key, "2026-11-19", "2026-11-20", **params)
    assert response.status_code == 400
    assert expected in response.text


def test_a_day_appears_at_16_frankfurt_time(sb: Sandbox) -> None:
    sb.set_as_of(datetime(2026, 11, 20, 14, 59, tzinfo=UTC))  # 15:59 in Frankfurt
    early = fetch(sb, "D.USD.EUR.SP00.A", "2026-11-19", "2026-11-20")
    assert _observations(early.json()) == {"USD": {"2026-11-19": 1.0847}}
    sb.set_as_of(datetime(2026, 11, 20, 15, 0, tzinfo=UTC))
    published = fetch(sb, "D.USD.EUR.SP00.A", "2026-11-19", "2026-11-20")
    assert _observations(published.json()) == {"USD": {"2026-11-19": 1.0847, "2026-11-20": 1.0852}}
    sb.set_as_of(datetime(2026, 11, 20, 14, 59, tzinfo=UTC))
    assert fetch(sb, "D.USD.EUR.SP00.A", "2026-11-20", "2026-11-20").status_code == 404


def test_platform_faults(sb: Sandbox) -> None:
    sb.inject("ecb_fx", "server_error")
    sb.inject("ecb_fx", "rate_limit")
    busy = fetch(sb, "D.USD.EUR.SP00.A", "2026-11-20", "2026-11-20")
    assert (busy.status_code, busy.text) == (503, "Service Unavailable")
    limited = fetch(sb, "D.USD.EUR.SP00.A", "2026-11-20", "2026-11-20")
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "1")
    assert fetch(sb, "D.USD.EUR.SP00.A", "2026-11-20", "2026-11-20").status_code == 200
    assert [status for _, _, status in sb.requests("ecb_fx")] == [503, 429, 200]


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("zero_rate", {"USD": {"2026-11-19": 0, "2026-11-20": 1.0852}}),
        ("extra_decimal", {"USD": {"2026-11-19": 1.08475, "2026-11-20": 1.0852}}),
        ("wrong_currency", {"JPY": {"2026-11-19": 1.0847, "2026-11-20": 1.0852}}),
        ("stray_day", {"USD": {"2026-11-18": 1.0847, "2026-11-20": 1.0852}}),
        ("schema_drift", {"USD": {"2026-11-19": 1.0847, "2026-11-20": 1.0852}}),
    ],
)
def test_data_faults_spoil_the_first_observation(sb: Sandbox, fault: str, expected: dict) -> None:
    sb.inject("ecb_fx", fault)
    body = fetch(sb, "D.USD.EUR.SP00.A", "2026-11-19", "2026-11-20").json()
    assert _observations(body) == expected
    assert ("annotations" in body["dataSets"][0]["series"]["0:0:0:0:0"]) is (fault == "schema_drift")
    assert _observations(fetch(sb, "D.USD.EUR.SP00.A", "2026-11-19", "2026-11-20").json()) == {
        "USD": {"2026-11-19": 1.0847, "2026-11-20": 1.0852}
    }


def test_no_credentials_are_needed(sb: Sandbox) -> None:
    assert "password" not in sb.connections()["ecb_fx"]
    assert sb.connections()["ecb_fx"]["extra"] == {"currencies": ["CNY", "USD", "HKD"]}
    assert fetch(sb, "D.HKD.EUR.SP00.A", date(2026, 11, 20), date(2026, 11, 20)).status_code == 200

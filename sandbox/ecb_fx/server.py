"""The ECB data API (SDMX 2.1 REST, ``data-api.ecb.europa.eu``) for the EXR dataflow, as the extractor meets it.

``GET /service/data/EXR/D.{CUR1+CUR2}.EUR.SP00.A?startPeriod=…&endPeriod=…&format=jsondata`` answers in
SDMX-JSON: the series dimensions (FREQ, CURRENCY, CURRENCY_DENOM, EXR_TYPE, EXR_SUFFIX) and the observation
dimension TIME_PERIOD list their values; ``dataSets[0].series`` is keyed by the indexes of a series' values
("0:1:0:0:0") and each series' ``observations`` by the index of its TIME_PERIOD value ("0", "1", …), each
holding ``[value, OBS_STATUS index, OBS_CONF index, …]``. Quirks kept from the real API: a query without any
observation (a weekend) is HTTP 404 with the plain-text body "No results found.", a malformed key is 400,
both period bounds are inclusive, and there is no authentication.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sandbox.ecb_fx.world import BASE, EcbWorld, Observation
from sandbox.http_base import ApiRequest, ApiResponse, Clock, PlatformServer, json_response
from sandbox.world import World

DATA_PATH = re.compile(r"^/service/data/EXR/([^/]*)/?$")
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
NO_RESULTS = "No results found."
SERIES_DIMENSIONS = ("FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX")
DIMENSION_NAMES = {
    "FREQ": ("Frequency", {"D": "Daily"}),
    "CURRENCY": ("Currency", {"CNY": "Chinese yuan renminbi", "USD": "US dollar", "HKD": "Hong Kong dollar"}),
    "CURRENCY_DENOM": ("Currency denominator", {"EUR": "Euro"}),
    "EXR_TYPE": ("Exchange rate type", {"SP00": "Spot"}),
    "EXR_SUFFIX": ("Series variation - EXR context", {"A": "Average"}),
}
# Fields a later version of the API might add; a client must ignore them.
DRIFT_ANNOTATIONS = [{"id": "sandbox-drift", "title": "A field the extractor does not know", "type": "NOTE"}]
# Data faults: two the extractor must refuse (``zero_rate``, ``wrong_currency``) and two it lands as received
# for the loader to refuse (``stray_day``: an observation before startPeriod; ``extra_decimal``: a fifth one).
DATA_FAULTS = ("schema_drift", "zero_rate", "wrong_currency", "stray_day", "extra_decimal")


class BadQuery(ValueError):
    """A query the ECB answers with HTTP 400."""


def text_response(status: int, text: str, headers: dict[str, str] | None = None) -> ApiResponse:
    return ApiResponse(status, text.encode(), {"Content-Type": "text/plain; charset=utf-8", **(headers or {})})


def parse_key(key: str) -> list[str]:
    """The quoted currencies of a series key ``D.USD+CNY.EUR.SP00.A``; BadQuery for anything else served here."""
    parts = key.split(".")
    if len(parts) != len(SERIES_DIMENSIONS):
        raise BadQuery(f"Invalid series key '{key}': dataflow EXR has {len(SERIES_DIMENSIONS)} dimensions")
    frequency, currencies, denominator, rate_type, suffix = parts
    quoted = currencies.split("+")
    if not all(CURRENCY_CODE.match(code) for code in quoted):
        raise BadQuery(f"Invalid series key '{key}': '{currencies}' is not a list of currency codes")
    if (frequency, denominator, rate_type, suffix) != ("D", BASE, "SP00", "A"):
        raise BadQuery(f"Invalid series key '{key}': the sandbox serves only D.<currencies>.EUR.SP00.A")
    return list(dict.fromkeys(quoted))


def parse_period(name: str, value: str | None) -> date:
    if value is None:
        raise BadQuery(f"Missing parameter {name}: the sandbox needs both startPeriod and endPeriod")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadQuery(f"Invalid {name} '{value}': expected YYYY-MM-DD") from None


def sdmx_json(series: list[tuple[str, list[Observation]]], prepared: datetime, drift: bool) -> dict[str, Any]:
    """An SDMX-JSON data message holding ``series`` (currency, observations), as the ECB lays it out."""
    days = sorted({observation.day for _, observations in series for observation in observations})
    day_index = {day: str(index) for index, day in enumerate(days)}
    currencies = [currency for currency, _ in series]
    data_series: dict[str, Any] = {}
    for position, (_, observations) in enumerate(series):
        entry: dict[str, Any] = {
            "attributes": [0, 0, 0, 0],
            "observations": {day_index[o.day]: [_number(o.units_per_eur), 0, 0, None, None] for o in observations},
        }
        if drift:
            entry["annotations"] = DRIFT_ANNOTATIONS
        data_series[f"0:{position}:0:0:0"] = entry
    values = {"FREQ": ["D"], "CURRENCY": currencies, "CURRENCY_DENOM": [BASE], "EXR_TYPE": ["SP00"],
              "EXR_SUFFIX": ["A"]}  # fmt: skip
    dimensions = [
        {
            "id": name,
            "name": DIMENSION_NAMES[name][0],
            "keyPosition": position,
            "values": [{"id": value, "name": DIMENSION_NAMES[name][1].get(value, value)} for value in values[name]],
        }
        for position, name in enumerate(SERIES_DIMENSIONS)
    ]
    time_values = [
        {"id": day.isoformat(), "name": day.isoformat(), "start": f"{day}T00:00:00.000+01:00",
         "end": f"{day}T23:59:59.999+01:00"}
        for day in days
    ]  # fmt: skip
    return {
        "header": {
            "id": f"sandbox-{prepared.strftime('%Y%m%d%H%M%S')}",
            "test": False,
            "prepared": prepared.isoformat(),
            "sender": {"id": "ECB.DISS", "name": "European Central Bank"},
        },
        "dataSets": [{"action": "Replace", "validFrom": prepared.isoformat(), "series": data_series}],
        "structure": {
            "name": "Exchange Rates",
            "dimensions": {
                "dataset": [],
                "series": dimensions,
                "observation": [
                    {"id": "TIME_PERIOD", "name": "Time period or range", "role": "time", "values": time_values}
                ],  # fmt: skip
            },
            "attributes": {
                "series": [{"id": "TITLE", "name": "Series title", "values": [{"name": "Euro reference rate"}]}],
                "observation": [
                    {"id": "OBS_STATUS", "name": "Observation status", "values": [{"id": "A", "name": "Normal value"}]},
                    {"id": "OBS_CONF", "name": "Observation confidentiality", "values": [{"id": "F", "name": "Free"}]},
                ],
            },
        },
    }


def _number(value: Decimal) -> float | int:
    # The ECB sends rates as JSON numbers; 7.8210 travels as 7.821.
    return int(value) if value == value.to_integral_value() else float(value)


def spoil(body: dict[str, Any], fault: str, start: date) -> None:
    """Spoil the first observation of the first series the way ``fault`` says."""
    series = body["dataSets"][0]["series"]
    if not series:
        return
    first = series[min(series)]
    index = min(first["observations"], key=int)
    if fault == "zero_rate":
        first["observations"][index][0] = 0
    elif fault == "extra_decimal":
        first["observations"][index][0] = float(Decimal(str(first["observations"][index][0])) + Decimal("0.00005"))
    elif fault == "wrong_currency":
        body["structure"]["dimensions"]["series"][1]["values"][0]["id"] = "JPY"
    elif fault == "stray_day":
        stray = (start - timedelta(days=1)).isoformat()
        body["structure"]["dimensions"]["observation"][0]["values"][int(index)].update(id=stray, name=stray)


class EcbServer(PlatformServer):
    name = "ecb_fx"
    data_faults = DATA_FAULTS

    def __init__(self, world: World, clock: Clock, **options: Any) -> None:
        super().__init__(world, clock, **options)
        self.ecb: EcbWorld = world.part("ecb_fx")

    def connection(self) -> dict[str, Any]:
        # The ECB API is public: a base URL and the currencies to read, no credentials.
        return {"conn_type": "http", "host": self.url, "extra": {"currencies": list(self.ecb.currencies)}}

    def fault_response(self, fault: str, request: ApiRequest) -> ApiResponse:
        if fault == "rate_limit":
            return text_response(429, "Too Many Requests", {"Retry-After": "1"})
        if fault == "server_error":
            return text_response(503, "Service Unavailable")
        if fault == "token_expired":
            # Nothing to expire on a public API; a proxy in front of it could still refuse the caller.
            return text_response(403, "Forbidden")
        raise ValueError(f"no canned response for fault {fault!r}")

    def handle(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        match = DATA_PATH.match(request.path)
        if request.method != "GET" or match is None:
            return text_response(404, "Not Found")
        try:
            currencies = parse_key(match.group(1))
            start = parse_period("startPeriod", request.param("startPeriod"))
            end = parse_period("endPeriod", request.param("endPeriod"))
            if start > end:
                raise BadQuery(f"startPeriod {start} is after endPeriod {end}")
            if request.param("format") != "jsondata":
                raise BadQuery("the sandbox serves only format=jsondata (SDMX-JSON)")
        except BadQuery as exc:
            return text_response(400, str(exc))
        series = [(currency, self.ecb.observations(currency, start, end, as_of)) for currency in currencies]
        series = [(currency, observations) for currency, observations in series if observations]
        if not series:
            return text_response(404, NO_RESULTS)
        body = sdmx_json(series, as_of, drift=data_fault == "schema_drift")
        if data_fault is not None and data_fault != "schema_drift":
            spoil(body, data_fault, start)
        return json_response(200, body, {"Content-Type": "application/vnd.sdmx.data+json; version=1.0.0-wd"})


SERVER = EcbServer

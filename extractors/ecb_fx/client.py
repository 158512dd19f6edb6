"""The ECB data API's client and reader: status-code errors, "No results found." as no rows, and SDMX-JSON
decoded into one flat record per observation.

The API is public, so the client sends no credentials. It reports errors with real HTTP statuses (400 for a
malformed key, 503 when busy), except that a query without any observation, such as a window of a weekend
or a holiday, is answered 404 with the plain-text body "No results found.": that is zero rows, not an error.
SDMX-JSON carries no records: a series is keyed by indexes into the dimension values and each observation by
an index into the TIME_PERIOD values, so the reader checks that the series is the one it asked for and that
every value is a positive number before it hands anything on; a body that fails a check fails the extraction
naming the rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from extractors.connections import Connection, ConnectionConfigError
from extractors.errors import ConfigurationError, ExtractContext, MalformedResponse
from extractors.http import (
    OK,
    HttpClient,
    Outcome,
    RetrySettings,
    Verdict,
    body_snippet,
    classify_by_status,
    parse_json,
)
from extractors.streams import Window

NO_RESULTS = "No results found."
BASE_CURRENCY = "EUR"
# The EXR series of the euro reference rates: daily (D), spot (SP00), average (A), against EUR.
SERIES = {"FREQ": "D", "CURRENCY_DENOM": BASE_CURRENCY, "EXR_TYPE": "SP00", "EXR_SUFFIX": "A"}
JSON_FORMAT = "jsondata"

Record = dict[str, Any]


@dataclass(frozen=True)
class EcbSettings:
    base_url: str

    @classmethod
    def from_connection(cls, conn: Connection) -> EcbSettings:
        if not conn.host:
            raise ConnectionConfigError(f"connection '{conn.conn_id}' has no host (the ECB data API base URL)")
        return cls(base_url=conn.host.rstrip("/"))


def series_key(currency: str) -> str:
    return f"{SERIES['FREQ']}.{currency}.{BASE_CURRENCY}.{SERIES['EXR_TYPE']}.{SERIES['EXR_SUFFIX']}"


def classify_ecb_response(response: requests.Response, conn_id: str = "ecb_fx") -> Verdict:
    """HTTP statuses as usual, but "No results found." is an answer (no rows) and a 400 says where to look."""
    if response.status_code == 404 and response.text.strip() == NO_RESULTS:
        return OK
    if response.status_code == 400:
        return Verdict(
            Outcome.FATAL,
            f"HTTP 400: {body_snippet(response)}; the series key is built from extra.currencies of connection "
            f"'{conn_id}' (ISO 4217 codes such as USD)",
        )
    return classify_by_status(response)


def make_client(conn: Connection, context: ExtractContext, retry: RetrySettings) -> HttpClient:
    """A client without credentials: the ECB data API is public."""
    try:
        EcbSettings.from_connection(conn)
    except ConnectionConfigError as exc:
        raise ConfigurationError(context, str(exc)) from None
    return HttpClient(
        context,
        retry=retry,
        classifier=lambda response: classify_ecb_response(response, context.conn_id),
    )


def read_reference_rates(client: HttpClient, conn: Connection, account: str, window: Window) -> Iterator[Record]:
    """Reference rates of the currency ``account`` against EUR for every day of ``window`` that has one."""
    settings = EcbSettings.from_connection(conn)
    url = f"{settings.base_url}/service/data/EXR/{series_key(account)}"
    # startPeriod and endPeriod are both inclusive.
    params = {"startPeriod": window.start.isoformat(), "endPeriod": window.last_day.isoformat(), "format": JSON_FORMAT}
    response = client.get(url, params=params)
    if response.status_code == 404:
        return iter(())
    where = client.safe_url(response.url)
    body, parse_error = parse_json(response)
    if parse_error is not None:
        raise MalformedResponse(
            client.context,
            where,
            f"invalid JSON in a {len(response.content)}-byte body ({parse_error})",
        )
    return iter(decode_sdmx(body, account, _Checks(client.context, where)))


@dataclass(frozen=True)
class _Checks:
    context: ExtractContext
    url: str

    def fail(self, rule: str, what: str) -> MalformedResponse:
        return MalformedResponse(self.context, self.url, f"rule={rule}: {what}")


def _list_at(body: Any, path: tuple[str, ...], checks: _Checks) -> list[Any]:
    value = body
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    if not isinstance(value, list):
        raise checks.fail("sdmx_structure", f"{'.'.join(path)} is not a list")
    return value


def _value_ids(dimension: Any, checks: _Checks) -> list[Any]:
    values = dimension.get("values") if isinstance(dimension, Mapping) else None
    if not isinstance(values, list):
        raise checks.fail("sdmx_structure", f"dimension {dimension!r:.80} has no list of values")
    return [value.get("id") if isinstance(value, Mapping) else None for value in values]


def decode_sdmx(body: Any, currency: str, checks: _Checks) -> list[Record]:
    """One record per observation of the SDMX-JSON data message ``body``, by series and TIME_PERIOD index."""
    if not isinstance(body, Mapping):
        raise checks.fail("sdmx_structure", f"expected a JSON object, got {type(body).__name__}")
    data_sets = _list_at(body, ("dataSets",), checks)
    dimensions = _list_at(body, ("structure", "dimensions", "series"), checks)
    (time_dimension, *others) = _list_at(body, ("structure", "dimensions", "observation"), checks) or [None]
    if others or not isinstance(time_dimension, Mapping) or time_dimension.get("id") != "TIME_PERIOD":
        raise checks.fail("sdmx_structure", "the observation dimension is not TIME_PERIOD alone")
    periods = _value_ids(time_dimension, checks)
    names = [str(dimension.get("id")) if isinstance(dimension, Mapping) else "" for dimension in dimensions]
    values = [_value_ids(dimension, checks) for dimension in dimensions]
    if "CURRENCY" not in names or any(name not in names for name in SERIES):
        raise checks.fail("sdmx_structure", f"series dimensions {names} are not those of the EXR dataflow")
    if len(data_sets) != 1 or not isinstance(data_sets[0], Mapping):
        raise checks.fail("sdmx_structure", f"expected one data set, got {len(data_sets)}")
    series = data_sets[0].get("series")
    if not isinstance(series, Mapping) or not series:
        # The API answers 404 "No results found." when there is nothing; a 200 without series is not that.
        raise checks.fail("sdmx_structure", "a 200 answer without any series")
    records: list[Record] = []
    for key, entry in series.items():
        found = _series_dimensions(key, names, values, checks)
        expected = {**SERIES, "CURRENCY": currency}
        wrong = {name: found.get(name) for name in expected if found.get(name) != expected[name]}
        if wrong:
            raise checks.fail(
                "series_matches_request",
                f"series {key} is {wrong}, not the requested {series_key(currency)}",
            )
        observations = entry.get("observations") if isinstance(entry, Mapping) else None
        if not isinstance(observations, Mapping):
            raise checks.fail("sdmx_structure", f"series {key} has no observations object")
        for index, observation in observations.items():
            period = _period(index, periods, key, checks)
            value = observation[0] if isinstance(observation, list) and observation else None
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
                raise checks.fail(
                    "observation_value_positive",
                    f"series {key} observation {index} (TIME_PERIOD {period}) is {value!r}, not a positive number",
                )
            records.append(
                {
                    "rate_date": period,
                    "currency": found["CURRENCY"],
                    "base_currency": found["CURRENCY_DENOM"],
                    "units_per_base": value,
                    "series_key": ".".join(str(found[name]) for name in names),
                }
            )
    return sorted(records, key=lambda record: (record["currency"], str(record["rate_date"])))


def _series_dimensions(key: Any, names: list[str], values: list[list[Any]], checks: _Checks) -> dict[str, Any]:
    parts = str(key).split(":")
    if len(parts) != len(names) or not all(part.isdigit() and int(part) < len(values[i]) for i, part in
                                           enumerate(parts)):  # fmt: skip
        raise checks.fail("sdmx_structure", f"series key {key!r} does not index the {len(names)} series dimensions")
    return {name: values[i][int(part)] for i, (name, part) in enumerate(zip(names, parts, strict=True))}


def _period(index: Any, periods: list[Any], key: str, checks: _Checks) -> Any:
    if not (isinstance(index, str) and index.isdigit() and int(index) < len(periods)) or periods[int(index)] is None:
        raise checks.fail("sdmx_structure", f"series {key} observation {index!r} indexes no TIME_PERIOD value")
    return periods[int(index)]

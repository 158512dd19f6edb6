"""Calling the ECB data API sandbox over HTTP, and the one standard request the generic sandbox tests (faults,
the CLI) make of every server."""

from __future__ import annotations

from datetime import date
from typing import Any

import requests

from sandbox import Sandbox

TIMEOUT = 10
# The standard request: the dollar's reference rate of one Friday.
DAY = date(2026, 11, 20)
SERVER_ERROR_STATUS = 503


def data_url(base_url: str, key: str = "D.USD.EUR.SP00.A") -> str:
    return f"{base_url}/service/data/EXR/{key}"


def fetch(
    sb: Sandbox, key: str, start: date | str, end: date | str, timeout: float = TIMEOUT, **extra: Any
) -> requests.Response:
    params = {"startPeriod": str(start), "endPeriod": str(end), "format": "jsondata", **extra}
    return requests.get(data_url(sb.url("ecb_fx"), key), params=params, timeout=timeout)


def call(sb: Sandbox, timeout: float = TIMEOUT) -> requests.Response:
    """The standard request: one observation of one series."""
    return fetch(sb, "D.USD.EUR.SP00.A", DAY, DAY, timeout=timeout)


def probe(base_url: str) -> None:
    """One request to a server started elsewhere (``python -m sandbox serve``) is answered with a rate."""
    params = {"startPeriod": DAY.isoformat(), "endPeriod": DAY.isoformat(), "format": "jsondata"}
    response = requests.get(data_url(base_url), params=params, timeout=TIMEOUT)
    assert response.status_code == 200
    (series,) = response.json()["dataSets"][0]["series"].values()
    assert list(series["observations"]) == ["0"]

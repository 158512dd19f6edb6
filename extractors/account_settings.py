"""Reading an account's settings (its time zone and currency) from the platform, once per extraction.

Each source names the endpoint and where the two fields sit; this reads and checks them the same way for
every platform, so a settings answer without a zone fails the extraction naming the field instead of
letting a day be cut on the wrong clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from extractors.catalog import AccountSettings
from extractors.errors import MalformedResponse
from extractors.http import HttpClient
from extractors.readiness import zone


def _at(body: Any, path: Sequence[str]) -> Any:
    for key in path:
        body = body.get(key) if isinstance(body, dict) else None
    return body


def fetch_account_settings(
    client: HttpClient,
    url: str,
    *,
    timezone_path: Sequence[str],
    currency_path: Sequence[str],
    params: Mapping[str, Any] | None = None,
) -> AccountSettings:
    body, response = client.request_json("GET", url, params=params)
    where = client.safe_url(response.url)
    timezone, currency = _at(body, timezone_path), _at(body, currency_path)
    if not isinstance(timezone, str) or not timezone:
        raise MalformedResponse(
            client.context, where, f"account settings without a time zone at {'.'.join(timezone_path)}"
        )
    try:
        zone(timezone)
    except ValueError as error:
        raise MalformedResponse(client.context, where, f"{'.'.join(timezone_path)}: {error}") from None
    if currency is not None and not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha()):
        raise MalformedResponse(
            client.context, where, f"{'.'.join(currency_path)}: {currency!r} is not an ISO 4217 currency code"
        )
    return AccountSettings(timezone=timezone, currency=currency.upper() if currency else None)

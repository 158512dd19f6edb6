"""Meta's client and reader: Graph API auth, error codes, and the ``ads_insights`` request.

Meta reports errors with real HTTP statuses but says *which* error in the body's Graph error code
(a rate limit is an HTTP 400 with code 17), so it gets its own classifier.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests

from extractors.account_settings import fetch_account_settings
from extractors.catalog import AccountSettings
from extractors.connections import Connection, ConnectionConfigError, extra_int, extra_str, extra_str_list
from extractors.errors import ConfigurationError, ExtractContext
from extractors.http import (
    OK,
    HttpClient,
    Outcome,
    RetrySettings,
    Verdict,
    classify_by_status,
    retry_after_seconds,
)
from extractors.meta.source import ADS_INSIGHTS, SOURCE
from extractors.paging import body_next_url_pages, records
from extractors.streams import Window

DEFAULT_PAGE_SIZE = 500
# Meta's own default: a conversion within 7 days of a click or 1 day of a view of the ad.
DEFAULT_ATTRIBUTION_WINDOWS = ("7d_click", "1d_view")

# Graph API error codes (developers.facebook.com/docs/graph-api/overview/rate-limiting and
# /docs/marketing-api/error-reference).
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
TOKEN_ERROR_CODES = frozenset({190, 102})
# Code 2 is "temporary issue due to downtime"; code 1 is "unknown error", which Meta documents as
# usually temporary ("wait and retry"), so both are retried. ``is_transient`` covers the rest.
TRANSIENT_CODES = frozenset({1, 2})

# Exactly the fields the declaration types: asking for what we load, and loading what we ask for.
ADS_INSIGHTS_FIELDS = tuple(column.name for column in ADS_INSIGHTS.columns)


@dataclass(frozen=True)
class MetaSettings:
    base_url: str
    access_token: str = field(repr=False)
    api_version: str
    page_size: int
    attribution_windows: tuple[str, ...] = DEFAULT_ATTRIBUTION_WINDOWS

    @classmethod
    def from_connection(cls, conn: Connection) -> MetaSettings:
        if not conn.host:
            raise ConnectionConfigError(f"connection '{conn.conn_id}' has no host (the Graph API base URL)")
        if not conn.password:
            raise ConnectionConfigError(f"connection '{conn.conn_id}' has no password (the access token)")
        page_size = extra_int(conn, "page_size", DEFAULT_PAGE_SIZE)
        if page_size < 1:
            raise ConnectionConfigError(f"connection '{conn.conn_id}': extra.page_size must be >= 1")
        return cls(
            base_url=conn.host.rstrip("/"),
            access_token=conn.password,
            api_version=extra_str(conn, "api_version", SOURCE.api_version) or SOURCE.api_version,
            page_size=page_size,
            attribution_windows=tuple(extra_str_list(conn, "action_attribution_windows"))
            or DEFAULT_ATTRIBUTION_WINDOWS,
        )


def buc_wait_seconds(header_value: str | None) -> float | None:
    """Seconds until access returns, from ``x-business-use-case-usage``.

    The header maps business ids to usage entries whose ``estimated_time_to_regain_access`` is in
    MINUTES; the longest one wins because any throttled use case blocks our calls.
    """
    if not header_value:
        return None
    try:
        usage = json.loads(header_value)
    except ValueError:
        return None
    minutes: list[float] = []
    if isinstance(usage, dict):
        for entries in usage.values():
            for entry in entries if isinstance(entries, list) else [entries]:
                if isinstance(entry, dict):
                    try:
                        minutes.append(float(entry.get("estimated_time_to_regain_access") or 0))
                    except (TypeError, ValueError):
                        continue
    return max(minutes) * 60.0 if minutes else None


def graph_error(response: requests.Response) -> dict[str, Any] | None:
    """The ``error`` object of a Graph API error body, if the body is one."""
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else None


def classify_meta_response(response: requests.Response) -> Verdict:
    """Read a Graph API response: body error code first, HTTP status when there is no Graph error."""
    if 200 <= response.status_code < 300:
        return OK
    error = graph_error(response)
    if error is None:
        return classify_by_status(response)
    code = error.get("code")
    subcode = error.get("error_subcode")
    detail = (
        f"HTTP {response.status_code}, Graph error code {code}"
        + (f" subcode {subcode}" if subcode is not None else "")
        + f" ({error.get('type', 'error')}): {error.get('message', '')}"
        + (f" [fbtrace_id {error['fbtrace_id']}]" if error.get("fbtrace_id") else "")
    )
    if code in RATE_LIMIT_CODES:
        waits = [
            w
            for w in (
                buc_wait_seconds(response.headers.get("x-business-use-case-usage")),
                retry_after_seconds(response),
            )
            if w is not None
        ]
        return Verdict(Outcome.RATE_LIMITED, detail, max(waits) if waits else None)
    if code in TOKEN_ERROR_CODES:
        return Verdict(Outcome.AUTH, detail)
    if code in TRANSIENT_CODES or error.get("is_transient") is True:
        return Verdict(Outcome.TRANSIENT, detail, retry_after_seconds(response))
    return Verdict(Outcome.FATAL, detail)


def make_client(conn: Connection, context: ExtractContext, retry: RetrySettings) -> HttpClient:
    """A client that authenticates by Bearer header, so the token is not in any URL we build."""
    try:
        settings = MetaSettings.from_connection(conn)
    except ConnectionConfigError as exc:
        raise ConfigurationError(context, str(exc)) from None
    return HttpClient(
        context,
        retry=retry,
        classifier=classify_meta_response,
        headers={"Authorization": f"Bearer {settings.access_token}"},
        secrets=[settings.access_token],
    )


def account_path(account: str) -> str:
    return account if account.startswith("act_") else f"act_{account}"


def read_account_settings(client: HttpClient, conn: Connection, account: str) -> AccountSettings:
    """The ad account's ``timezone_name`` (its reporting days end at midnight there) and ``currency``."""
    settings = MetaSettings.from_connection(conn)
    return fetch_account_settings(
        client,
        f"{settings.base_url}/{settings.api_version}/{account_path(account)}",
        params={"fields": "timezone_name,currency"},
        timezone_path=("timezone_name",),
        currency_path=("currency",),
    )


def read_ads_insights(client: HttpClient, conn: Connection, account: str, window: Window) -> Iterator[dict[str, Any]]:
    """Daily ad-level insights for ``window``; Meta's ``time_range`` bounds are inclusive dates."""
    settings = MetaSettings.from_connection(conn)
    url = f"{settings.base_url}/{settings.api_version}/{account_path(account)}/insights"
    params = {
        "level": "ad",
        "time_increment": 1,
        "time_range": json.dumps(
            {"since": window.start.isoformat(), "until": window.last_day.isoformat()}, separators=(",", ":")
        ),
        "fields": ",".join(ADS_INSIGHTS_FIELDS),
        # Which click and view windows credit a conversion to the ad; the marts' docs name the default.
        "action_attribution_windows": json.dumps(settings.attribution_windows, separators=(",", ":")),
        "limit": settings.page_size,
    }
    return records(body_next_url_pages(client, url, params, records_key="data", next_path=("paging", "next")))

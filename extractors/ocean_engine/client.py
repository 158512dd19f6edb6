"""Ocean Engine's client and readers: OAuth with rotating refresh tokens, body-code errors, the v3 custom report.

Every answer of the Open API is an HTTP 200 whose ``code`` says what happened, so one error table reads them
all. The access token expires daily and is refreshed through the shared token store (``source.py`` says where
the pair lives); the report takes at most 30 days per call, so a window is read in 30-day chunks, each paged
by page number.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from extractors.auth import OAuthRefresh, Placement, TokenEndpoint, TokenRequestFields, TokenResponseFields
from extractors.catalog import AccountSettings
from extractors.connections import (
    Connection,
    ConnectionConfigError,
    extra_int,
    extra_str,
    required_extra,
    required_field,
)
from extractors.error_table import Action, ErrorTable
from extractors.errors import ConfigurationError, ExtractContext, MalformedResponse
from extractors.http import HttpClient, RetrySettings, query_json
from extractors.ocean_engine.source import AD_REPORT_DAILY, SOURCE
from extractors.paging import PageNumber, PageRequest, RecordsAt, paginate, records
from extractors.streams import Window
from extractors.token_store import TokenSet, pipeline_token_store
from extractors.windows import read_in_chunks

REFRESH_PATH = "/open_api/oauth2/refresh_token/"
ADVERTISER_INFO_PATH = "/open_api/2/advertiser/info/"
# The report's longest span per call (start_time..end_time, inclusive) and largest page.
MAX_DAYS_PER_REQUEST = 30
MAX_PAGE_SIZE = 1000
# Full pages by default: the developer's daily quota counts calls, not rows.
DEFAULT_PAGE_SIZE = MAX_PAGE_SIZE
DATA_TOPIC = "BASIC_DATA"
# Ocean Engine serves mainland China only: every advertiser reports Beijing days and bills in yuan, and the
# advertiser info endpoint has no field for either.
REPORT_TIMEZONE = "Asia/Shanghai"
CURRENCY = "CNY"

# Exactly the dimensions and metrics the declaration types: asking for what we load, and loading what we ask for.
DIMENSIONS = tuple(c.record_path[1] for c in AD_REPORT_DAILY.columns if c.record_path[0] == "dimensions")
METRICS = tuple(c.record_path[1] for c in AD_REPORT_DAILY.columns if c.record_path[0] == "metrics")

DAILY_QUOTA_EXCEEDED = 61002
QUOTA_ADVICE = (
    "the developer app's daily call quota is used up; retrying within this run cannot help, as the quota "
    "resets the next day: rerun then, or raise the app's quota in the Ocean Engine developer console"
)

# Ocean Engine's return codes (its appendix of codes). A code not listed fails fast.
_CODES: dict[int | str, Action] = {
    40100: Action.RATE_LIMITED,  # too frequent: back off and retry
    40102: Action.REFRESH,  # access token expired: refresh once, then retry
    40103: Action.AUTH,  # refresh token expired: a human must re-authorize the app
    40104: Action.AUTH,  # no access token sent
    40105: Action.AUTH,  # access token wrong (revoked, or another app's)
    40107: Action.AUTH,  # refresh token invalid or already used: a human must re-authorize
    40001: Action.FAIL,  # parameter error: the same request fails again
    40002: Action.FAIL,  # no permission on the advertiser
    50000: Action.RETRY,  # system error
    DAILY_QUOTA_EXCEEDED: Action.FAIL,  # the developer's daily quota: see QUOTA_ADVICE
}
API_ERRORS = ErrorTable(
    code_path="code",
    ok_codes=frozenset({0}),
    codes=_CODES,
    message_paths=("message",),
    request_id_paths=("request_id",),
    advice={DAILY_QUOTA_EXCEEDED: QUOTA_ADVICE},
)
# At the token endpoint a parameter error means the app id or secret is wrong, which a human must fix too;
# any refusal there ends as TokenRefreshFailed, saying to re-authorize.
TOKEN_ERRORS = ErrorTable(
    code_path="code",
    ok_codes=frozenset({0}),
    codes={**_CODES, 40001: Action.AUTH, 40002: Action.AUTH},
    message_paths=("message",),
    request_id_paths=("request_id",),
)


@dataclass(frozen=True)
class OceanEngineSettings:
    base_url: str
    app_id: str
    app_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    access_token: str | None = field(repr=False)
    api_version: str
    page_size: int

    @classmethod
    def from_connection(cls, conn: Connection) -> OceanEngineSettings:
        required_field(conn, "host", "the Open API base URL")
        login = required_field(conn, "login", "the developer app's app_id")
        app_secret = required_extra(conn, "app_secret", "the developer app's secret")
        refresh_token = required_extra(conn, "refresh_token", "from the advertisers' authorization")
        page_size = extra_int(conn, "page_size", DEFAULT_PAGE_SIZE, within=(1, MAX_PAGE_SIZE))
        return cls(
            base_url=conn.host.rstrip("/"),
            app_id=login,
            app_secret=app_secret,
            refresh_token=refresh_token,
            access_token=conn.password or None,
            api_version=extra_str(conn, "api_version", SOURCE.api_version) or SOURCE.api_version,
            page_size=page_size,
        )


def token_store_key(conn_id: str, refresh_token: str) -> str:
    """The token store's key for a connection's authorization: its id and a fingerprint of its refresh token.

    A new authorization put in the connection (a new refresh token) gets a fresh entry, seeded from it, instead
    of losing to the dead pair a previous authorization left in the store. The fingerprint is a cut SHA-256 of
    a random token: it names the entry and reveals nothing of the token.
    """
    return f"{conn_id}.{hashlib.sha256(refresh_token.encode()).hexdigest()[:16]}"


def make_client(conn: Connection, context: ExtractContext, retry: RetrySettings) -> HttpClient:
    """A client sending the access token in the ``Access-Token`` header and refreshing it through the shared
    store, so a rotated refresh token is what every other task and the next run use."""
    try:
        settings = OceanEngineSettings.from_connection(conn)
    except ConnectionConfigError as exc:
        raise ConfigurationError(context, str(exc)) from None
    endpoint = TokenEndpoint(
        url=f"{settings.base_url}{REFRESH_PATH}",
        client_id=settings.app_id,
        client_secret=settings.app_secret,
        body="json",
        request_fields=TokenRequestFields(client_id="app_id", client_secret="secret"),
        response_fields=TokenResponseFields(path="data"),
        errors=TOKEN_ERRORS,
    )
    auth = OAuthRefresh(
        endpoint,
        placement=Placement.header("Access-Token"),
        store=pipeline_token_store(),
        key=token_store_key(conn.conn_id, settings.refresh_token),
        # Only seeds an empty store entry; once the entry holds a pair, the store's (maybe rotated) pair wins.
        initial=TokenSet(access_token=settings.access_token, refresh_token=settings.refresh_token),
    )
    return HttpClient(context, retry=retry, classifier=API_ERRORS, auth=auth)


def read_advertiser_settings(client: HttpClient, conn: Connection, account: str) -> AccountSettings:
    """Beijing time and CNY, once advertiser info confirms this authorization covers the advertiser."""
    settings = OceanEngineSettings.from_connection(conn)
    if not account.isdigit():
        raise ConfigurationError(client.context, f"advertiser id {account!r} in extra.advertiser_ids is not a number")
    body, response = client.get_json(
        f"{settings.base_url}{ADVERTISER_INFO_PATH}",
        {"advertiser_ids": query_json([int(account)]), "fields": query_json(["id", "name"])},
        envelope=("data",),
    )
    data = body["data"]
    # The documentation's example answers data as the list itself, its schema page as data.list: read either.
    listed = data.get("list") if isinstance(data, dict) else data
    if not isinstance(listed, list):
        raise MalformedResponse(client.context, client.safe_url(response.url), "no advertiser list at data.list")
    if not any(isinstance(item, dict) and str(item.get("id")) == account for item in listed):
        raise ConfigurationError(
            client.context,
            f"advertiser info does not list advertiser {account}: the authorization on connection "
            f"'{conn.conn_id}' does not cover it",
        )
    return AccountSettings(timezone=REPORT_TIMEZONE, currency=CURRENCY)


def read_ad_report_daily(
    client: HttpClient, conn: Connection, account: str, window: Window
) -> Iterator[dict[str, Any]]:
    """Promotion-day rows for ``window``, 30 days per request, every page, exactly as the API returned them."""
    settings = OceanEngineSettings.from_connection(conn)
    url = f"{settings.base_url}/open_api/{settings.api_version}/report/custom/get/"
    paginator = PageNumber(
        param="page",
        start=1,
        size_param="page_size",
        size=settings.page_size,
        total_pages_path="data.page_info.total_page",
        page_path="data.page_info.page",
    )

    def read(chunk: Window) -> Iterator[dict[str, Any]]:
        params = {
            "advertiser_id": account,
            "data_topic": DATA_TOPIC,
            "dimensions": query_json(DIMENSIONS),
            "metrics": query_json(METRICS),
            # Sent even when empty: the API refuses a request without filters (40001).
            "filters": "[]",
            "order_by": "[]",
            "start_time": chunk.start.isoformat(),
            "end_time": chunk.last_day.isoformat(),  # inclusive
        }
        pages = paginate(client, PageRequest(url, params), paginator, RecordsAt("data.rows"), envelope=("data",))
        return records(pages)

    return read_in_chunks(window, read, max_days=MAX_DAYS_PER_REQUEST)

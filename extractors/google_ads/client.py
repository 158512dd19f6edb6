"""Google Ads client and readers: OAuth refresh-token auth, GoogleAdsFailure errors, GAQL over searchStream.

- **Auth.** Every call carries ``Authorization: Bearer <access token>``, the ``developer-token`` header and,
  when the customers are reached through a manager account, ``login-customer-id``. The access token (about
  an hour) comes from the OAuth refresh-token grant (``OAuthRefresh`` + ``TokenEndpoint``); it is refreshed
  five minutes before it expires and once more when the API answers 401 ``UNAUTHENTICATED``. A dead refresh
  token (``invalid_grant``) fails at once with ``TokenRefreshFailed`` naming the connection.
- **Token store.** Google's refresh token does not rotate, so nothing has to be shared between tasks: each
  client keeps its access token in memory (``OAuthRefresh``'s default store) and the refresh token stays in
  the Airflow Connection alone. A shared file store would write a second copy of the refresh token to disk
  and, once it held one, win over the connection, so a refresh token replaced after a re-authorization
  would be shadowed by the stale copy. The price is one token call per extract task.
- **Errors.** Google uses real HTTP statuses; the body's ``error.status`` says what happened (the
  ``GoogleAdsFailure`` in ``details`` says which error), and ``ErrorTable`` turns that into an action. A
  searchStream answer is an array of batches: an element carrying ``error`` (a stream broken mid-way) is an
  error, never data. Quota errors advertise ``retryDelay``, which the client waits at least.
- **Windows.** searchStream has no paging and no day cap, but its whole answer is parsed before a record is
  yielded, so a long backfill is asked for in chunks of ``days_per_request`` days (``read_in_chunks``),
  each one call; landing writes the records as they come.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from extractors.auth import OAuthRefresh, Placement, TokenEndpoint
from extractors.catalog import AccountSettings, Column
from extractors.connections import Connection, ConnectionConfigError, extra_int, extra_str
from extractors.error_table import Action, ErrorTable
from extractors.errors import ConfigurationError, ExtractContext, MalformedResponse
from extractors.google_ads.source import AD_GROUP_AD_DAILY, SOURCE
from extractors.http import HttpClient, RetrySettings
from extractors.paging import Cursor, PageRequest, RecordsAt, SinglePage, paginate, records
from extractors.readiness import zone
from extractors.streams import Window
from extractors.windows import read_in_chunks

DEFAULT_DAYS_PER_REQUEST = 30
CUSTOMER_ID = re.compile(r"^[0-9]{10}$")

# What each google.rpc status asks for. Google's docs: RESOURCE_EXHAUSTED is a quota (wait retryDelay),
# INTERNAL / UNAVAILABLE / DEADLINE_EXCEEDED / ABORTED are worth a retry, UNAUTHENTICATED is an access token
# to refresh, PERMISSION_DENIED (developer token not approved, no access to the customer) needs a human.
GOOGLE_ADS_ERRORS = ErrorTable(
    code_path="error.status",
    codes={
        "RESOURCE_EXHAUSTED": Action.RATE_LIMITED,
        "INTERNAL": Action.RETRY,
        "UNAVAILABLE": Action.RETRY,
        "DEADLINE_EXCEEDED": Action.RETRY,
        "ABORTED": Action.RETRY,
        "UNAUTHENTICATED": Action.REFRESH,
        "PERMISSION_DENIED": Action.AUTH,
        "INVALID_ARGUMENT": Action.FAIL,
        "NOT_FOUND": Action.FAIL,
        "FAILED_PRECONDITION": Action.FAIL,
        "UNIMPLEMENTED": Action.FAIL,
    },
    # Some UNAUTHENTICATED answers are not about the access token: a new one would be refused the same way.
    sub_code_path="error.details[*].errors[*].errorCode.authenticationError",
    sub_codes={"DEVELOPER_TOKEN_INVALID": Action.AUTH, "NOT_ADS_USER": Action.AUTH},
    # The GoogleAdsError's family is the key of errorCode ({"quotaError": "RESOURCE_EXHAUSTED"}): shown whole.
    message_paths=("error.message", "error.details[*].errors[*].errorCode", "error.details[*].errors[*].message"),
    request_id_paths=("error.details[*].requestId",),
    wait_paths=("error.details[*].errors[*].details.quotaErrorDetails.retryDelay",),
)

# searchStream answers an array of batches; a batch without rows has no ``results``.
STREAM_RECORDS = RecordsAt("[*].results", optional=True)
SEARCH_RECORDS = RecordsAt("results", optional=True)
SETTINGS_QUERY = "SELECT customer.id, customer.time_zone, customer.currency_code FROM customer"


def gaql_field(column: Column) -> str:
    """The GAQL name of a column's record path: ``adGroupAd.ad.id`` -> ``ad_group_ad.ad.id``."""
    return ".".join(re.sub(r"(?<!^)(?=[A-Z])", "_", part).lower() for part in column.record_path)


# Exactly the fields the declaration types: asking for what we load, and loading what we ask for.
AD_GROUP_AD_FIELDS = tuple(gaql_field(column) for column in AD_GROUP_AD_DAILY.columns)


def ad_group_ad_query(window: Window) -> str:
    """The day-segmented ad query for ``window``; GAQL's BETWEEN bounds are inclusive dates."""
    return (
        f"SELECT {', '.join(AD_GROUP_AD_FIELDS)} FROM ad_group_ad "
        f"WHERE segments.date BETWEEN '{window.start.isoformat()}' AND '{window.last_day.isoformat()}'"
    )


@dataclass(frozen=True)
class GoogleAdsSettings:
    """The connection's settings (``source.py`` says where each lives), checked once."""

    conn_id: str
    base_url: str
    api_version: str
    token_url: str
    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    developer_token: str = field(repr=False)
    login_customer_id: str | None
    days_per_request: int

    @classmethod
    def from_connection(cls, conn: Connection) -> GoogleAdsSettings:
        def required(value: str | None, what: str) -> str:
            if not value:
                raise ConnectionConfigError(f"connection '{conn.conn_id}' has no {what}")
            return value

        login = extra_str(conn, "login_customer_id") or None
        if login is not None and not CUSTOMER_ID.match(login):
            raise ConnectionConfigError(
                f"connection '{conn.conn_id}': extra.login_customer_id must be the manager's ten digits without dashes"
            )
        days = extra_int(conn, "days_per_request", DEFAULT_DAYS_PER_REQUEST)
        if days < 1:
            raise ConnectionConfigError(f"connection '{conn.conn_id}': extra.days_per_request must be >= 1")
        return cls(
            conn_id=conn.conn_id,
            base_url=required(conn.host, "host (the Google Ads API base URL)").rstrip("/"),
            api_version=extra_str(conn, "api_version") or SOURCE.api_version,
            token_url=required(extra_str(conn, "token_url"), "extra.token_url (the OAuth token endpoint)"),
            client_id=required(extra_str(conn, "client_id"), "extra.client_id (the OAuth client id)"),
            client_secret=required(extra_str(conn, "client_secret"), "extra.client_secret (the OAuth client secret)"),
            refresh_token=required(conn.password, "password (the OAuth refresh token)"),
            developer_token=required(extra_str(conn, "developer_token"), "extra.developer_token"),
            login_customer_id=login,
            days_per_request=days,
        )

    def url(self, customer_id: str, method: str) -> str:
        """``{base}/{version}/customers/{customer_id}/googleAds:{method}``; the id is ten digits, no dashes."""
        if not CUSTOMER_ID.match(customer_id):
            raise ConnectionConfigError(
                f"connection '{self.conn_id}': customer id {customer_id!r} in extra.customer_ids must be ten "
                "digits without dashes"
            )
        return f"{self.base_url}/{self.api_version}/customers/{customer_id}/googleAds:{method}"


def make_client(
    conn: Connection,
    context: ExtractContext,
    retry: RetrySettings,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> HttpClient:
    """A client that authenticates every call (see the module docstring); ``sleep`` and ``clock`` are for tests."""
    try:
        settings = GoogleAdsSettings.from_connection(conn)
    except ConnectionConfigError as exc:
        raise ConfigurationError(context, str(exc)) from None
    endpoint = TokenEndpoint(url=settings.token_url, client_id=settings.client_id, client_secret=settings.client_secret)
    auth = OAuthRefresh(
        endpoint, placement=Placement.bearer(), key=conn.conn_id, refresh_token=settings.refresh_token, clock=clock
    )
    headers = {"developer-token": settings.developer_token}
    if settings.login_customer_id:
        headers["login-customer-id"] = settings.login_customer_id
    return HttpClient(
        context,
        retry=retry,
        classifier=GOOGLE_ADS_ERRORS,
        headers=headers,
        secrets=[settings.developer_token, settings.refresh_token, settings.client_secret],
        sleep=sleep,
        auth=auth,
    )


def read_account_settings(client: HttpClient, conn: Connection, account: str) -> AccountSettings:
    """The customer's ``time_zone`` (where its days end) and ``currency_code``, by GAQL ``FROM customer``.

    Read through ``googleAds:search`` (the paged sibling of searchStream, same GAQL) so the one-row read is
    told apart from data calls by its path.
    """
    url = GoogleAdsSettings.from_connection(conn).url(account, "search")
    request = PageRequest(url, method="POST", json={"query": SETTINGS_QUERY})
    rows = list(records(paginate(client, request, Cursor("nextPageToken", "pageToken"), SEARCH_RECORDS)))
    where = client.safe_url(url)
    if len(rows) != 1:
        raise MalformedResponse(
            client.context, where, f"expected one customer row for {SETTINGS_QUERY!r}, got {len(rows)}"
        )
    customer = rows[0].get("customer")
    customer = customer if isinstance(customer, dict) else {}
    timezone, currency = customer.get("timeZone"), customer.get("currencyCode")
    if not isinstance(timezone, str) or not timezone:
        raise MalformedResponse(client.context, where, "account settings without a time zone at customer.timeZone")
    try:
        zone(timezone)
    except ValueError as error:
        raise MalformedResponse(client.context, where, f"customer.timeZone: {error}") from None
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha()):
        raise MalformedResponse(
            client.context, where, f"customer.currencyCode: {currency!r} is not an ISO 4217 currency code"
        )
    return AccountSettings(timezone=timezone, currency=currency.upper())


def read_ad_group_ad_daily(
    client: HttpClient, conn: Connection, account: str, window: Window
) -> Iterator[dict[str, Any]]:
    """Every ``GoogleAdsRow`` of the day-segmented ad query for ``window``, as the API returned it."""
    settings = GoogleAdsSettings.from_connection(conn)
    url = settings.url(account, "searchStream")

    def read(chunk: Window) -> Iterable[dict[str, Any]]:
        request = PageRequest(url, method="POST", json={"query": ad_group_ad_query(chunk)})
        return records(paginate(client, request, SinglePage(), STREAM_RECORDS))

    return read_in_chunks(window, read, max_days=settings.days_per_request)

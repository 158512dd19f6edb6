"""TikTok's client and readers: the ``Access-Token`` header, body-code errors, the integrated report.

Every answer of the Marketing API is an HTTP 200 whose ``code`` says what happened (0 is success), so one error
table reads them all; a gateway in front of it may still answer a 5xx, which the same table retries. The token is
long-lived and cannot be refreshed: a rejected token fails the extraction at once, saying to replace it. The daily
report spans at most 30 days per request, so a window is read in 30-day chunks, each paged by page number.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from extractors.auth import StaticToken
from extractors.catalog import AccountSettings
from extractors.connections import Connection, ConnectionConfigError, extra_int, extra_str, required_field
from extractors.error_table import Action, ErrorTable
from extractors.errors import ConfigurationError, ExtractContext, MalformedResponse
from extractors.http import HttpClient, RetrySettings, dig, query_json
from extractors.paging import PageNumber, PageRequest, RecordsAt, paginate, records
from extractors.readiness import zone
from extractors.streams import Window
from extractors.tiktok.source import AD_REPORT_DAILY, SOURCE
from extractors.windows import read_in_chunks

REPORT_PATH = "report/integrated/get/"
ADVERTISER_INFO_PATH = "advertiser/info/"
# The daily report's longest span per request (start_date..end_date, inclusive) and its largest page.
MAX_DAYS_PER_REQUEST = 30
MAX_PAGE_SIZE = 1000
# Full pages by default: TikTok's QPS limit counts calls, not rows.
DEFAULT_PAGE_SIZE = MAX_PAGE_SIZE

# Exactly the dimensions and metrics the declaration types: asking for what we load, and loading what we ask for.
DIMENSIONS = tuple(c.record_path[1] for c in AD_REPORT_DAILY.columns if c.record_path[0] == "dimensions")
METRICS = tuple(c.record_path[1] for c in AD_REPORT_DAILY.columns if c.record_path[0] == "metrics")
ADVERTISER_FIELDS = ("advertiser_id", "name", "timezone", "currency")

NO_PERMISSION = 40001
NO_PERMISSION_ADVICE = (
    "the access token's authorization does not cover this advertiser or lacks the Reporting scope; retrying "
    "cannot help: re-authorize the app for the advertiser and put the new token in the connection"
)

# TikTok's return codes (the Marketing API's code appendix). A code not listed fails fast.
_CODES: dict[int | str, Action] = {
    40100: Action.RATE_LIMITED,  # the app reached its QPS limit: back off and retry
    40102: Action.AUTH,  # "access token expired": TikTok tokens only end when revoked, so a human must act
    40104: Action.AUTH,  # no access token sent
    40105: Action.AUTH,  # access token incorrect or revoked
    NO_PERMISSION: Action.FAIL,  # no permission on the advertiser or scope (see NO_PERMISSION_ADVICE)
    40002: Action.FAIL,  # parameter error: the same request fails again
    50000: Action.RETRY,  # system error
    # 51xxx: the platform's internal errors; TikTok says to retry them.
    **{code: Action.RETRY for code in range(51000, 52000)},
}
API_ERRORS = ErrorTable(
    code_path="code",
    ok_codes=frozenset({0}),
    codes=_CODES,
    message_paths=("message",),
    request_id_paths=("request_id",),
    advice={NO_PERMISSION: NO_PERMISSION_ADVICE},
)


@dataclass(frozen=True)
class TikTokSettings:
    base_url: str
    access_token: str = field(repr=False)
    api_version: str
    page_size: int

    @classmethod
    def from_connection(cls, conn: Connection) -> TikTokSettings:
        where = f"connection '{conn.conn_id}'"
        required_field(conn, "host", "the Marketing API base URL")
        if not conn.password:
            raise ConnectionConfigError(f"{where} has no password (the advertisers' access token)")
        page_size = extra_int(conn, "page_size", DEFAULT_PAGE_SIZE, within=(1, MAX_PAGE_SIZE))
        return cls(
            base_url=conn.host.rstrip("/"),
            access_token=conn.password,
            api_version=extra_str(conn, "api_version", SOURCE.api_version) or SOURCE.api_version,
            page_size=page_size,
        )

    def url(self, path: str) -> str:
        return f"{self.base_url}/open_api/{self.api_version}/{path}"


def make_client(conn: Connection, context: ExtractContext, retry: RetrySettings) -> HttpClient:
    """A client sending the token in TikTok's ``Access-Token`` header (not ``Authorization: Bearer``)."""
    try:
        settings = TikTokSettings.from_connection(conn)
    except ConnectionConfigError as exc:
        raise ConfigurationError(context, str(exc)) from None
    auth = StaticToken.header("Access-Token", settings.access_token)
    return HttpClient(context, retry=retry, classifier=API_ERRORS, auth=auth)


def read_advertiser_settings(client: HttpClient, conn: Connection, account: str) -> AccountSettings:
    """The advertiser's ``timezone`` (its report days end at midnight there) and ``currency``, from advertiser info.

    Read here rather than with ``extractors.account_settings.fetch_account_settings``: the fields sit in an element
    of ``data.list``, which its key paths cannot index; the same checks are made.
    """
    settings = TikTokSettings.from_connection(conn)
    body, response = client.get_json(
        settings.url(ADVERTISER_INFO_PATH),
        {"advertiser_ids": query_json([account]), "fields": query_json(ADVERTISER_FIELDS)},
        envelope=("data",),
    )
    where = client.safe_url(response.url)
    listed = dig(body, "data.list")
    if not isinstance(listed, list):
        raise MalformedResponse(client.context, where, "no advertiser list at data.list")
    found = [item for item in listed if isinstance(item, Mapping) and str(item.get("advertiser_id")) == account]
    if not found:
        raise ConfigurationError(
            client.context,
            f"advertiser info does not list advertiser {account}: the authorization on connection "
            f"'{conn.conn_id}' does not cover it",
        )
    timezone, currency = found[0].get("timezone"), found[0].get("currency")
    if not isinstance(timezone, str) or not timezone:
        raise MalformedResponse(client.context, where, "account settings without a time zone at data.list[].timezone")
    try:
        zone(timezone)
    except ValueError as error:
        raise MalformedResponse(client.context, where, f"data.list[].timezone: {error}") from None
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha()):
        raise MalformedResponse(
            client.context, where, f"data.list[].currency: {currency!r} is not an ISO 4217 currency code"
        )
    return AccountSettings(timezone=timezone, currency=currency.upper())


def report_params(account: str, chunk: Window) -> dict[str, Any]:
    """The ad-level daily report request for ``chunk``; TikTok's date bounds are inclusive."""
    return {
        "advertiser_id": account,
        "service_type": "AUCTION",
        "report_type": "BASIC",
        "data_level": "AUCTION_AD",
        "dimensions": query_json(DIMENSIONS),
        "metrics": query_json(METRICS),
        "start_date": chunk.start.isoformat(),
        "end_date": chunk.last_day.isoformat(),
    }


def read_ad_report_daily(
    client: HttpClient, conn: Connection, account: str, window: Window
) -> Iterator[dict[str, Any]]:
    """Ad-day rows for ``window``, 30 days per request, every page, exactly as the API returned them."""
    settings = TikTokSettings.from_connection(conn)
    url = settings.url(REPORT_PATH)
    paginator = PageNumber(
        param="page",
        start=1,
        size_param="page_size",
        size=settings.page_size,
        total_pages_path="data.page_info.total_page",
        page_path="data.page_info.page",
    )

    def read(chunk: Window) -> Iterator[dict[str, Any]]:
        request = PageRequest(url, report_params(account, chunk))
        return records(paginate(client, request, paginator, RecordsAt("data.list"), envelope=("data",)))

    return read_in_chunks(window, read, max_days=MAX_DAYS_PER_REQUEST)

"""WeChat's client and readers: ``stable_token``, ``errcode`` errors inside HTTP 200, the datacube's day limits.

Every answer is an HTTP 200; an error carries ``errcode``, a success none, so one error table reads them all. The
token comes from ``stable_token`` (client credentials: the account's appid and AppSecret) and goes in the
``access_token`` query parameter; when the API says it expired (42001) or is not the latest (40001, 40014) it is
fetched again once and the call repeated. Each datacube endpoint takes a limited span per call (articles 1 day,
users 7), so a window is read in chunks of that many days; a "date range" refusal halves the chunk.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from extractors.auth import OAuthRefresh, Placement, TokenEndpoint, TokenRequestFields
from extractors.connections import Connection, ConnectionConfigError, extra_str_list, required_field
from extractors.error_table import Action, ErrorTable
from extractors.errors import ConfigurationError, ExtractContext, MalformedResponse
from extractors.http import HttpClient, RetrySettings
from extractors.streams import Window
from extractors.windows import read_in_chunks

TOKEN_PATH = "/cgi-bin/stable_token"
# Days per call (begin_date..end_date inclusive) each endpoint accepts.
MAX_DAYS = {"getarticletotaldetail": 1, "getusersummary": 7, "getusercumulate": 7}

INVALID_APPSECRET = 40125
DAILY_QUOTA = 45009
IP_NOT_WHITELISTED = 40164
SECRET_ADVICE = (
    "the AppSecret for this appid in the connection's extra.app_secrets is wrong or was reset: copy the current "
    "one from mp.weixin.qq.com (设置与开发 → 基本配置) into the connection"
)
QUOTA_ADVICE = (
    "the account's daily call quota for this API is used up; retrying today cannot help: rerun after midnight "
    "Beijing time, or clear the quota in the Official Account admin"
)
IP_ADVICE = "this machine's IP is not on the account's IP whitelist (设置与开发 → 基本配置 → IP白名单)"

# WeChat's global return codes (公众号 全局返回码). A code not listed fails fast.
_CODES: dict[int | str, Action] = {
    -1: Action.RETRY,  # system busy
    40001: Action.REFRESH,  # invalid credential: the token is wrong or not the latest
    40014: Action.REFRESH,  # invalid access_token
    42001: Action.REFRESH,  # access_token expired
    41001: Action.AUTH,  # no access_token sent
    IP_NOT_WHITELISTED: Action.AUTH,
    DAILY_QUOTA: Action.FAIL,
    45011: Action.RATE_LIMITED,  # the per-minute quota
    61500: Action.FAIL,  # date format error: the same request fails again
    61501: Action.TOO_LARGE,  # date range error: a span past the endpoint's limit
}
API_ERRORS = ErrorTable(
    code_path="errcode",
    ok_codes=frozenset({0}),
    codes=_CODES,
    message_paths=("errmsg",),
    advice={DAILY_QUOTA: QUOTA_ADVICE, IP_NOT_WHITELISTED: IP_ADVICE},
)
# At the token endpoint every refusal is the credentials' (a wrong appid or AppSecret, an IP not whitelisted).
TOKEN_ERRORS = ErrorTable(
    code_path="errcode",
    ok_codes=frozenset({0}),
    codes={
        -1: Action.RETRY,
        40013: Action.AUTH,
        40001: Action.AUTH,
        INVALID_APPSECRET: Action.AUTH,
        IP_NOT_WHITELISTED: Action.AUTH,
        DAILY_QUOTA: Action.FAIL,
        45011: Action.RATE_LIMITED,
    },
    message_paths=("errmsg",),
    advice={INVALID_APPSECRET: SECRET_ADVICE, IP_NOT_WHITELISTED: IP_ADVICE, DAILY_QUOTA: QUOTA_ADVICE},
)


@dataclass(frozen=True)
class WeChatSettings:
    base_url: str
    appid: str
    app_secret: str = field(repr=False)

    @classmethod
    def for_account(cls, conn: Connection, appid: str) -> WeChatSettings:
        where = f"connection '{conn.conn_id}'"
        required_field(conn, "host", "the API base URL, https://api.weixin.qq.com")
        if appid not in extra_str_list(conn, "appids"):
            raise ConnectionConfigError(f"{where} does not list appid {appid} in extra.appids")
        secrets = conn.extra.get("app_secrets")
        secret = secrets.get(appid) if isinstance(secrets, Mapping) else None
        if not isinstance(secret, str) or not secret:
            raise ConnectionConfigError(f"{where} has no extra.app_secrets entry for appid {appid} (its AppSecret)")
        return cls(base_url=conn.host.rstrip("/"), appid=appid, app_secret=secret)


def make_client(conn: Connection, context: ExtractContext, retry: RetrySettings) -> HttpClient:
    """A client for the extraction's account, its token from ``stable_token`` in the ``access_token`` parameter."""
    try:
        settings = WeChatSettings.for_account(conn, context.account)
    except ConnectionConfigError as exc:
        raise ConfigurationError(context, str(exc)) from None
    endpoint = TokenEndpoint(
        url=f"{settings.base_url}{TOKEN_PATH}",
        client_id=settings.appid,
        client_secret=settings.app_secret,
        grant_type="client_credential",
        uses_refresh_token=False,
        body="json",
        request_fields=TokenRequestFields(client_id="appid", client_secret="secret"),
        # Not forced: a forced refresh would end the token every other task of this account is using.
        extra={"force_refresh": False},
        errors=TOKEN_ERRORS,
    )
    auth = OAuthRefresh(endpoint, placement=Placement.query("access_token"), key=settings.appid)
    return HttpClient(context, retry=retry, classifier=API_ERRORS, auth=auth)


def datacube_rows(client: HttpClient, conn: Connection, account: str, name: str, chunk: Window) -> list[Any]:
    """The ``list`` of one datacube call for ``chunk`` (its bounds inclusive)."""
    settings = WeChatSettings.for_account(conn, account)
    body, response = client.request_json(
        "POST",
        f"{settings.base_url}/datacube/{name}",
        json={"begin_date": chunk.start.isoformat(), "end_date": chunk.last_day.isoformat()},
        envelope=("list",),
    )
    rows = body["list"]
    if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
        raise MalformedResponse(client.context, client.safe_url(response.url), f"{name}: list is not a list of objects")
    return rows


def _read(client: HttpClient, conn: Connection, account: str, window: Window, name: str) -> Iterator[Any]:
    return read_in_chunks(
        window, lambda chunk: datacube_rows(client, conn, account, name, chunk), max_days=MAX_DAYS[name]
    )


def read_article_daily_totals(
    client: HttpClient, conn: Connection, account: str, window: Window
) -> Iterator[dict[str, Any]]:
    """One record per article and stat_date: the article's fields with one ``detail_list`` entry as ``detail``."""
    for article in _read(client, conn, account, window, "getarticletotaldetail"):
        details = article.get("detail_list")
        if not isinstance(details, list):
            raise MalformedResponse(
                client.context, "getarticletotaldetail", f"article {article.get('msgid')!r} has no detail_list list"
            )
        fields = {key: value for key, value in article.items() if key != "detail_list"}
        for detail in details:
            yield {**fields, "detail": detail}


def read_user_summary(client: HttpClient, conn: Connection, account: str, window: Window) -> Iterator[dict[str, Any]]:
    return _read(client, conn, account, window, "getusersummary")


def read_user_cumulate(client: HttpClient, conn: Connection, account: str, window: Window) -> Iterator[dict[str, Any]]:
    return _read(client, conn, account, window, "getusercumulate")

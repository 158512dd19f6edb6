"""WeChat's Official Account API as the extractors meet it: ``stable_token`` and the datacube.

Quirks kept, because an extractor must survive each:

- Every answer is an HTTP 200. An error is ``{"errcode": N, "errmsg": "..."}``; a success has no ``errcode``
  (the datacube answers ``{"list": [...]}``). 40001 invalid credential, 40014 invalid access_token, 42001 token
  expired, 40125 invalid appsecret (at the token endpoint), 45009 the day's call quota used up, 45011 the
  per-minute quota, -1 system busy, 61500 date format error, 61501 date range error. Only the ``server_error``
  fault is a 5xx: the gateway in front of the API, with a page that is not JSON.
- ``POST /cgi-bin/stable_token`` ``{grant_type: client_credential, appid, secret, force_refresh}`` answers
  ``{access_token, expires_in: 7200}``. While a token is valid it hands back the same one (no churn between
  tasks), unless ``force_refresh`` is true. The token goes in the ``access_token`` query parameter.
- Datacube calls are ``POST /datacube/<name>?access_token=`` with ``{begin_date, end_date}`` (inclusive). The
  span is limited per endpoint: ``getarticletotaldetail`` 1 day (the articles of that mass-message day),
  ``getusersummary`` and ``getusercumulate`` 7 days; longer is 61501. ``end_date`` may be yesterday at the
  latest, and yesterday's figures are out only from 08:00 Beijing time (``is_delay: true`` before that).
- ``getarticletotaldetail`` rows are ``{ref_date, msgid, title, publish_type, detail_list: [...]}``; the sandbox
  also sends ``publish_time`` (unix seconds) and ``topic_tags``, which the real answer may lack (the extractor
  keeps both optional). A deleted article is not listed any more.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from datetime import date, datetime, timedelta
from typing import Any

from sandbox.formats import SHANGHAI
from sandbox.http_base import ApiRequest, ApiResponse, Clock, PlatformServer, json_response
from sandbox.wechat_oa.world import ACCOUNTS, WeChatOAWorld
from sandbox.world import World

# The app secret of each sandbox account: sandbox-only values that open nothing outside this machine, kept
# in the Airflow connection exactly where a real secret would go.
APP_SECRETS = {account.id: f"sandbox-wechat-secret-{account.id[-6:]}" for account in ACCOUNTS}

TOKEN_PATH = "/cgi-bin/stable_token"
DATACUBE_PATH = re.compile(r"^/datacube/(getarticletotaldetail|getusersummary|getusercumulate)/?$")
TOKEN_TTL_SECONDS = 7200
MAX_DAYS = {"getarticletotaldetail": 1, "getusersummary": 7, "getusercumulate": 7}

INVALID_CREDENTIAL = 40001
INVALID_TOKEN = 40014
TOKEN_EXPIRED = 42001
INVALID_APPID = 40013
INVALID_SECRET = 40125
DAILY_QUOTA = 45009
MINUTE_QUOTA = 45011
SYSTEM_BUSY = -1
DATE_FORMAT_ERROR = 61500
DATE_RANGE_ERROR = 61501
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DRIFT_FIELDS = {"read_user_source": [{"user_source": 0, "count": 0}], "is_first_publish": 1}


class Refusal(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def error(code: int, message: str) -> ApiResponse:
    # WeChat appends a trace id to every errmsg ("rid: ...").
    return json_response(200, {"errcode": code, "errmsg": f"{message} rid: {secrets.token_hex(12)}"})


def gateway_error() -> ApiResponse:
    page = b"<html><head><title>503 Service Unavailable</title></head><body>503</body></html>"
    return ApiResponse(503, page, {"Content-Type": "text/html"})


class WeChatOAServer(PlatformServer):
    name = "wechat_oa"
    # The token call opens every extraction, like an account settings read: armed faults pass it by and hit the
    # datacube calls a test is about.
    settings_path = re.compile(rf"^{TOKEN_PATH}/?$")
    data_faults = ("schema_drift", "negative_count", "missing_counter")
    extra_response_faults = ("system_busy", "daily_quota")

    def __init__(self, world: World, clock: Clock, **options: Any) -> None:
        super().__init__(world, clock, **options)
        self.wechat: WeChatOAWorld = world.part("wechat_oa")
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[str, datetime]] = {}  # appid -> (token, expires at, world clock)
        self.token_calls = 0
        # Tests: after this many more datacube calls every token expires, as two hours passing mid-run would.
        self.expire_tokens_after: int | None = None

    def connection(self) -> dict[str, Any]:
        return {
            "conn_type": "http",
            "host": self.url,
            "extra": {"appids": [account.id for account in self.wechat.accounts], "app_secrets": dict(APP_SECRETS)},
        }

    def expire_tokens(self) -> None:
        """End every token issued so far, as two hours passing would."""
        with self._lock:
            self._tokens = {appid: (token, self.clock.now()) for appid, (token, _) in self._tokens.items()}

    def fault_response(self, fault: str, request: ApiRequest) -> ApiResponse:
        if fault == "rate_limit":
            return error(MINUTE_QUOTA, "api minute-quota reach limit mustslower retry next minute")
        if fault == "server_error":
            return gateway_error()
        if fault == "token_expired":
            return error(TOKEN_EXPIRED, "access_token expired")
        if fault == "system_busy":
            return error(SYSTEM_BUSY, "system error")
        if fault == "daily_quota":
            return error(DAILY_QUOTA, "reach max api daily quota limit")
        raise ValueError(f"no canned response for fault {fault!r}")

    def handle(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        try:
            if request.path.rstrip("/") == TOKEN_PATH:
                return self._stable_token(request, as_of)
            match = DATACUBE_PATH.match(request.path)
            if match is None:
                return json_response(404, {"errcode": 404, "errmsg": f"no API {request.path}"})
            if request.method != "POST":
                raise Refusal(43002, "require POST method")
            self._count_down_to_expiry()
            appid = self._appid_of(request.param("access_token"), as_of)
            return self._datacube(match.group(1), appid, request, as_of, data_fault)
        except Refusal as refusal:
            return error(refusal.code, refusal.message)

    # -- tokens ------------------------------------------------------------------------------------------

    def _stable_token(self, request: ApiRequest, as_of: datetime) -> ApiResponse:
        body = _json_body(request)
        with self._lock:
            self.token_calls += 1
        if body.get("grant_type") != "client_credential":
            raise Refusal(40002, "invalid grant_type")
        appid = body.get("appid")
        if appid not in APP_SECRETS:
            raise Refusal(INVALID_APPID, "invalid appid")
        if body.get("secret") != APP_SECRETS[appid]:
            raise Refusal(INVALID_SECRET, "invalid appsecret")
        with self._lock:
            held = self._tokens.get(appid)
            # A token living past now + its lifetime was issued on a later clock (a test moved the world back).
            lifetime = timedelta(seconds=TOKEN_TTL_SECONDS)
            if held is None or not as_of < held[1] <= as_of + lifetime or body.get("force_refresh") is True:
                held = (f"sbx-wechat-{secrets.token_urlsafe(24)}", as_of + lifetime)
                self._tokens[appid] = held
        return json_response(200, {"access_token": held[0], "expires_in": int((held[1] - as_of).total_seconds())})

    def _count_down_to_expiry(self) -> None:
        with self._lock:
            if self.expire_tokens_after is None:
                return
            self.expire_tokens_after -= 1
            if self.expire_tokens_after > 0:
                return
            self.expire_tokens_after = None
        self.expire_tokens()

    def _appid_of(self, token: str | None, as_of: datetime) -> str:
        if not token:
            raise Refusal(41001, "access_token missing")
        with self._lock:
            for appid, (held, expires_at) in self._tokens.items():
                if held == token:
                    if expires_at <= as_of:
                        raise Refusal(TOKEN_EXPIRED, "access_token expired")
                    return appid
        raise Refusal(INVALID_CREDENTIAL, "invalid credential, access_token is invalid or not latest")

    # -- datacube ----------------------------------------------------------------------------------------

    def _datacube(
        self, name: str, appid: str, request: ApiRequest, as_of: datetime, data_fault: str | None
    ) -> ApiResponse:
        body = _json_body(request)
        begin, end = _date(body, "begin_date"), _date(body, "end_date")
        if end < begin:
            raise Refusal(DATE_RANGE_ERROR, "invalid date range: end_date before begin_date")
        if (end - begin).days + 1 > MAX_DAYS[name]:
            raise Refusal(DATE_RANGE_ERROR, f"invalid date range: {name} spans at most {MAX_DAYS[name]} day(s)")
        if end >= as_of.astimezone(SHANGHAI).date():
            raise Refusal(DATE_RANGE_ERROR, "invalid date range: end_date can be yesterday at the latest")
        last = min(end, self.wechat.last_served_day(as_of))
        days = [begin + timedelta(days=i) for i in range(max(0, (last - begin).days + 1))]
        if name == "getarticletotaldetail":
            posts = [post for day in days for post in self.wechat.articles(appid, day, as_of)]
            rows = [self.wechat.article_row(post, as_of) for post in posts]
            _spoil([entry for row in rows for entry in row["detail_list"]], data_fault)
            return json_response(200, {"list": rows, "is_delay": self.wechat.is_delayed(as_of)})
        if name == "getusersummary":
            rows = [row for day in days for row in self.wechat.user_summary(appid, day)]
        else:
            rows = [self.wechat.user_cumulate(appid, day) for day in days]
        _spoil(rows, data_fault)
        return json_response(200, {"list": rows})


def _spoil(rows: list[dict[str, Any]], data_fault: str | None) -> None:
    if not rows or data_fault is None:
        return
    first = rows[0]
    counters = [key for key, value in first.items() if isinstance(value, int) and key != "user_source"]
    if data_fault == "schema_drift":
        for row in rows:
            row.update(DRIFT_FIELDS)
    elif data_fault == "negative_count" and counters:
        first[counters[0]] = -abs(first[counters[0]]) - 1  # one bad row in a good answer: the raw checks' job
    elif data_fault == "missing_counter" and counters:
        first.pop(counters[0])  # a counter left out: unknown, never 0


def _json_body(request: ApiRequest) -> dict[str, Any]:
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        raise Refusal(47001, "data format error: the body is not JSON") from None
    if not isinstance(payload, dict):
        raise Refusal(47001, "data format error: the body is not a JSON object")
    return payload


def _date(body: dict[str, Any], name: str) -> date:
    raw = body.get(name)
    if not isinstance(raw, str) or not _DATE.match(raw):
        raise Refusal(DATE_FORMAT_ERROR, f"invalid date format: {name} must be YYYY-MM-DD, got {raw!r}")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Refusal(DATE_FORMAT_ERROR, f"invalid date: {name} {raw!r}") from None


SERVER = WeChatOAServer

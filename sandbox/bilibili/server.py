"""The Bilibili Open Platform (哔哩哔哩开放平台, open.bilibili.com) as the extractors meet it: a brand's own UP主
account through an OAuth2 authorization, its archive (稿件) list, each archive's counters and the account's totals.

Why Bilibili and not Kuaishou: both have an official open platform for a creator's own account, but Bilibili's
data endpoints (稿件数据, 用户数据), signature scheme, token endpoint and status codes are documented publicly (the
open.bilibili.com document centre, mirrored on apifox) and confirmed by the platform's own signature demo and by
several independent clients; Kuaishou's public material documents login, the photo list and token refresh, but the
fan counts and per-video data fields could not be confirmed beyond third-party scrapers.

What was found, and where ([doc] open.bilibili.com's document centre, read through its apifox mirror
``apifox.com/apidoc/docs-site/1106400``; [demo] the platform's own signature demo,
github.com/bilibili-openplatform/SignatureAlgorithm_DotnetDemo; [sdk] independent open-source clients of these
endpoints; [assumption] not confirmed in any source, chosen so the sandbox is self-consistent):

- **Hosts and paths.** Data endpoints live on ``https://member.bilibili.com`` under ``/arcopen/fn/``; the token
  endpoints on ``https://api.bilibili.com/x/account-oauth2/v1/`` (``token`` for the authorization code,
  ``refresh_token`` for a refresh). [doc] The sandbox serves both on one host; the extractor takes the token URL
  from its connection.
- **Signature on every ``/arcopen/fn/`` call.** Headers ``x-bili-accesskeyid`` (the app's client_id),
  ``x-bili-content-md5`` (hex MD5 of the body; of the empty string for a GET), ``x-bili-signature-method:
  HMAC-SHA256``, ``x-bili-signature-nonce`` (unique per request), ``x-bili-signature-version: 2.0``,
  ``x-bili-timestamp`` (unix seconds), and ``Authorization`` = hex HMAC-SHA256, keyed with the app secret, of the
  ``x-bili-*`` headers sorted by name and written ``name:value`` one per line (no trailing newline). The user's
  token travels in an ``access-token`` header. [demo, doc] Older pages show ``client_id`` and ``access_token`` as
  query parameters; the signed headers replace them. How long a timestamp stays acceptable and whether a nonce may
  repeat are not documented: the sandbox allows 10 minutes either way and refuses a nonce it has seen [assumption].
- **Envelope.** ``{"code": 0, "message": "0", "ttl": 1, "data": {...}}`` (plus ``request_id`` in answers seen by
  clients [sdk]); errors are a non-zero ``code`` in an **HTTP 200**. [doc, sdk]
- **Status codes** [doc 状态码]: 127200 business error, 127201 system busy (retry), 127000 auth parameters
  missing, 127001 access_token invalid, 127004 client_id invalid, 127005/127006 developer or app not certified,
  127007 the app lacks the API's permission, 127009 API call limit reached, 127011 the user has not authorized
  this API, 127012 authentication error, 127100 parameter error, 127107 archive deleted, 127124 no such archive;
  token endpoint: 122000 client_id wrong, 122001 client_secret wrong, 122002 code not found, 122007 refresh token
  invalid. No separate "expired" code is documented: the sandbox answers an expired access token 127001 with
  "已过期" in the message, and signature failures 127012 [assumption]. ``-500`` is Bilibili's general server error
  (answered by ``server_error`` with an HTTP 500) [sdk, assumption for this host].
- **Tokens.** ``POST /x/account-oauth2/v1/refresh_token`` with ``client_id``, ``client_secret``,
  ``grant_type=refresh_token`` and ``refresh_token`` listed as URL parameters (the document lists no body). Every
  refresh token is **single-use**: the answer brings a new access token *and* a new refresh token [doc]. The
  answer's ``expires_in`` is **the expiry time as unix seconds**, not a lifetime ([doc]: "过期时间", example
  ``1630220614``; two clients [sdk] treat it so), beside ``scopes`` (a list). No lifetime is promised; the sandbox's
  access tokens last 30 days and its refresh tokens live until used [assumption]. The sandbox writes
  ``expires_in`` on the wall clock (what a client compares it with), while expiring tokens on the world's clock.
- **Archive list** ``GET /arcopen/fn/archive/viewlist?pn&ps&status`` (status ``all``, ``is_pubing``, ``pubed``,
  ``not_pubed``) → ``data: {list: [...], page: {pn, ps, total}}``, each item ``{resource_id (the BV id), title,
  cover, tid, no_reprint, desc, tag, copyright, video_info: {cid, filename, duration, iframe_url, share_url},
  addit_info: {state, state_desc, reject_reason}, ctime, ptime}``. [doc, sdk] Newest first and ``ps`` at most 50
  [assumption: one client caps ps at 50; the order is not documented, so the extractor checks it].
- **Archive data** ``GET /arcopen/fn/data/arc/stat?resource_id`` → ``data: {title, ptime, view, danmaku, reply,
  favorite, coin, share, like}``: lifetime counters now. [doc, sdk]
- **User data** ``GET /arcopen/fn/data/user/stat`` → ``data: {following, follower, arc_passed_total}``: totals
  now; no endpoint gives past days' followers, or follows and unfollows. [doc, sdk]
- **User info** ``GET /arcopen/fn/user/account/info`` → ``data: {name, face, openid}``: who authorized. [doc]
- ``GET /arcopen/fn/data/arc/inc-stats`` gives only the whole account's increments over 30 days; not served.

Faults beyond the shared ones: ``system_busy`` (127201 in an HTTP 200), ``no_scope`` (127011, the user did not
authorize the data scope); data faults ``empty_page`` (a list page without items while ``page.total`` says more),
``negative_count`` and ``missing_counter`` (the next counter answer, archive or user, carries a negative play or
follower count, or leaves ``favorite`` or ``follower`` out) and ``schema_drift`` (fields a newer version adds).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections import deque
from datetime import datetime
from typing import Any

from sandbox.bilibili.world import BilibiliWorld
from sandbox.content import WORLD_START
from sandbox.http_base import ApiRequest, ApiResponse, Clock, PlatformServer, json_response
from sandbox.token_server import TokenAuthority, TokenCheck, TokenPolicy, body_code_errors
from sandbox.world import World

# The sandbox developer app. Sandbox-only values: they open nothing outside this machine, and they go in the
# Airflow Connection exactly where real ones would.
CLIENT_ID = "5a7c2e9b1d3f4068"
APP_SECRET = "sandbox-bilibili-app-secret-3e8d1f6a0b2c4957"
# Real authorization codes are single-use and short-lived; the sandbox's may be exchanged any number of times, each
# exchange being one more independent authorization (its own token pair).
AUTH_CODE = "sandbox-bilibili-auth-code"

REFRESH_PATH = "/x/account-oauth2/v1/refresh_token"
AUTHORIZE_PATH = "/x/account-oauth2/v1/token"
ACCOUNT_INFO_PATH = re.compile(r"^/arcopen/fn/user/account/info/?$")
VIEWLIST_PATH = "/arcopen/fn/archive/viewlist"
ARC_STAT_PATH = "/arcopen/fn/data/arc/stat"
USER_STAT_PATH = "/arcopen/fn/data/user/stat"

OK = 0
BUSINESS_ERROR = 127200
SYSTEM_BUSY = 127201
AUTH_PARAMS_MISSING = 127000
ACCESS_TOKEN_INVALID = 127001
CLIENT_ID_INVALID = 127004
NO_API_PERMISSION = 127007
CALL_LIMIT = 127009
SCOPE_NOT_AUTHORIZED = 127011
AUTH_ERROR = 127012
PARAMETER_ERROR = 127100
ARCHIVE_DELETED = 127107
NO_SUCH_ARCHIVE = 127124
TOKEN_CLIENT_ID_WRONG = 122000
TOKEN_SECRET_WRONG = 122001
CODE_NOT_FOUND = 122002
REFRESH_TOKEN_INVALID = 122007
SERVER_ERROR = -500

ACCESS_TTL = 30 * 86400
SIGNED_HEADERS = (
    "x-bili-accesskeyid", "x-bili-content-md5", "x-bili-signature-method", "x-bili-signature-nonce",
    "x-bili-signature-version", "x-bili-timestamp",
)  # fmt: skip
TIMESTAMP_SKEW = 600.0
NONCES_KEPT = 20_000
SCOPES = ["USER_INFO", "ARC_BASE", "USER_DATA", "ARC_DATA"]
STATUSES = ("all", "is_pubing", "pubed", "not_pubed")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
# Fields a newer API version might add; clients must keep, not choke on, them.
DRIFT_ITEM = {"is_only_self": 0, "up_from": 0}
DRIFT_STAT = {"vt": 0, "now_rank": 0}
# Data faults that spoil the next counter answer, whichever request they were armed on.
COUNTER_FAULTS = ("negative_count", "missing_counter")

POLICY = TokenPolicy(
    path=REFRESH_PATH,
    access_ttl=float(ACCESS_TTL),
    refresh_ttl=None,
    rotate_refresh=True,
    response_path=("data",),
    response_extra={"code": OK, "message": "0", "ttl": 1},
    refresh_expires_in_name=None,
    error=body_code_errors(
        {
            "invalid_grant": REFRESH_TOKEN_INVALID,
            "invalid_client": TOKEN_CLIENT_ID_WRONG,
            "invalid_request": PARAMETER_ERROR,
        }
    ),
    delay=0.1,
)


class Refusal(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def envelope(code: int, message: str, data: Any = None, status: int = 200) -> ApiResponse:
    body: dict[str, Any] = {"code": code, "message": message, "ttl": 1, "request_id": secrets.token_hex(16)}
    if code == OK or data is not None:
        body["data"] = {} if data is None else data
    return json_response(status, body)


def signature(headers: dict[str, str], secret: str) -> str:
    """Bilibili's ``Authorization``: hex HMAC-SHA256 of the sorted ``x-bili-*`` headers, ``name:value`` per line."""
    text = "\n".join(f"{name}:{headers[name]}" for name in sorted(headers) if name.startswith("x-bili-"))
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


class BilibiliServer(PlatformServer):
    name = "bilibili"
    settings_path = ACCOUNT_INFO_PATH
    data_faults = ("schema_drift", "empty_page", *COUNTER_FAULTS)
    extra_response_faults = ("system_busy", "no_scope")

    def __init__(self, world: World, clock: Clock, **options: Any) -> None:
        super().__init__(world, clock, **options)
        self.bilibili: BilibiliWorld = world.part("bilibili")
        self.account = self.bilibili.accounts[0]
        self.tokens = TokenAuthority(
            POLICY, client_id=CLIENT_ID, client_secret=APP_SECRET, now=lambda: self.clock.now().timestamp(), prefix="bl"
        )
        self._lock = threading.Lock()
        self._nonces: deque[str] = deque(maxlen=NONCES_KEPT)
        self._seen_nonces: set[str] = set()
        # The brand's authorization the sandbox's connection carries (as if a human had consented).
        self._initial = self.tokens.issue()

    def connection(self) -> dict[str, Any]:
        return {
            "conn_type": "http",
            "host": self.url,
            "login": CLIENT_ID,
            "password": self._initial["access_token"],
            "extra": {
                "app_secret": APP_SECRET,
                "refresh_token": self._initial["refresh_token"],
                "token_url": f"{self.url}{REFRESH_PATH}",
                "openid": self.account.id,
            },
        }

    def fault_response(self, fault: str, request: ApiRequest) -> ApiResponse:
        if fault == "rate_limit":
            return envelope(CALL_LIMIT, "api请求次数达到上限")
        if fault == "server_error":
            return envelope(SERVER_ERROR, "服务器错误", status=500)
        if fault == "system_busy":
            return envelope(SYSTEM_BUSY, "系统繁忙，请稍后再试")
        if fault == "token_expired":
            return envelope(ACCESS_TOKEN_INVALID, "access_token验证错误: access_token已过期")
        if fault == "no_scope":
            return envelope(SCOPE_NOT_AUTHORIZED, "该接口用户未授权")
        raise ValueError(f"no canned response for fault {fault!r}")

    # -- dispatch --------------------------------------------------------------------------------------

    def handle(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        if request.path.rstrip("/") == REFRESH_PATH:
            return self._refresh(request)
        if request.path.rstrip("/") == AUTHORIZE_PATH:
            return self._authorize(request)
        if not request.path.startswith("/arcopen/fn/"):
            return envelope(-404, "啥都木有", status=404)
        try:
            self._check_signature(request)
            self._check_token(request)
            if request.method != "GET":
                raise Refusal(PARAMETER_ERROR, f"{request.path} takes GET, not {request.method}")
            path = request.path.rstrip("/")
            if data_fault in COUNTER_FAULTS and path not in (ARC_STAT_PATH, USER_STAT_PATH):
                # Not a counter answer: the fault waits (in the queue, so clearing faults drops it) for the next.
                self.faults.push(data_fault, 1)
                data_fault = None
            if ACCOUNT_INFO_PATH.match(request.path):
                face = "http://i0.hdslb.com/bfs/face/3b5c9e1f0a7d2e4b6c8a1f3e5d7b9c0a2e4f6b8d.jpg"
                return envelope(OK, "0", {"name": self.account.name, "face": face, "openid": self.account.id})
            if path == VIEWLIST_PATH:
                return self._viewlist(request, as_of, data_fault)
            if path == ARC_STAT_PATH:
                return self._arc_stat(request, as_of, data_fault)
            if path == USER_STAT_PATH:
                return self._user_stat(as_of, data_fault)
        except Refusal as refusal:
            return envelope(refusal.code, refusal.message)
        return envelope(-404, "啥都木有", status=404)

    # -- auth ------------------------------------------------------------------------------------------

    def _check_signature(self, request: ApiRequest) -> None:
        headers = {name: request.header(name) or "" for name in SIGNED_HEADERS}
        authorization = request.header("Authorization")
        missing = [name for name, value in headers.items() if not value]
        if missing or not authorization:
            raise Refusal(AUTH_PARAMS_MISSING, f"缺少鉴权参数: {', '.join(missing or ['Authorization'])}")
        if headers["x-bili-accesskeyid"] != CLIENT_ID:
            raise Refusal(CLIENT_ID_INVALID, "client_id验证错误")
        if headers["x-bili-signature-method"] != "HMAC-SHA256" or headers["x-bili-signature-version"] != "2.0":
            raise Refusal(AUTH_ERROR, "鉴权错误: signature method must be HMAC-SHA256, version 2.0")
        if headers["x-bili-content-md5"] != hashlib.md5(request.body).hexdigest():
            raise Refusal(AUTH_ERROR, "鉴权错误: x-bili-content-md5 does not match the body")
        try:
            stamp = float(headers["x-bili-timestamp"])
        except ValueError:
            raise Refusal(AUTH_ERROR, "鉴权错误: x-bili-timestamp is not unix seconds") from None
        # The client signs with its own clock, so the stamp is judged on the wall clock, not the world's.
        if abs(stamp - time.time()) > TIMESTAMP_SKEW:
            raise Refusal(AUTH_ERROR, "鉴权错误: x-bili-timestamp is too far from the server's time")
        if not hmac.compare_digest(authorization, signature(headers, APP_SECRET)):
            raise Refusal(AUTH_ERROR, "鉴权错误: the signature does not match")
        nonce = headers["x-bili-signature-nonce"]
        with self._lock:
            if nonce in self._seen_nonces:
                raise Refusal(AUTH_ERROR, "鉴权错误: x-bili-signature-nonce was used before")
            if len(self._nonces) == self._nonces.maxlen:
                self._seen_nonces.discard(self._nonces[0])
            self._nonces.append(nonce)
            self._seen_nonces.add(nonce)

    def _check_token(self, request: ApiRequest) -> None:
        token = request.header("access-token")
        if not token:
            raise Refusal(AUTH_PARAMS_MISSING, "缺少鉴权参数: access-token")
        state = self.tokens.check(token)
        if state is TokenCheck.EXPIRED:
            raise Refusal(ACCESS_TOKEN_INVALID, "access_token验证错误: access_token已过期")
        if state is not TokenCheck.VALID:
            raise Refusal(ACCESS_TOKEN_INVALID, "access_token验证错误")

    def _authorize(self, request: ApiRequest) -> ApiResponse:
        """The authorization-code exchange a consent ends with (``grant_type=authorization_code``)."""
        fields = dict(request.params)
        if request.method != "POST" or fields.get("grant_type") != "authorization_code":
            return envelope(PARAMETER_ERROR, "请求参数错误: POST with grant_type=authorization_code")
        if fields.get("client_id") != CLIENT_ID:
            return envelope(TOKEN_CLIENT_ID_WRONG, "client_id 错误")
        if fields.get("client_secret") != APP_SECRET:
            return envelope(TOKEN_SECRET_WRONG, "client_secret 错误")
        if fields.get("code") != AUTH_CODE:
            return envelope(CODE_NOT_FOUND, "code未找到")
        pair = self.tokens.issue()
        data = {
            "access_token": pair["access_token"],
            "refresh_token": pair["refresh_token"],
            "expires_in": int(time.time()) + ACCESS_TTL,
            "scopes": SCOPES,
        }
        return envelope(OK, "0", data)

    def _refresh(self, request: ApiRequest) -> ApiResponse:
        if request.method != "POST":
            return envelope(PARAMETER_ERROR, "请求参数错误: refresh_token takes POST")
        fields = dict(request.params)
        if fields.get("client_id") == CLIENT_ID and fields.get("client_secret") not in (None, APP_SECRET):
            return envelope(TOKEN_SECRET_WRONG, "client_secret 错误")
        answer = self.tokens.handle(request)
        assert answer is not None  # the path is the authority's
        body = json.loads(answer.body)
        if body.get("code") == OK:
            # An absolute expiry, on the clock the client compares it with.
            body["data"]["expires_in"] = int(time.time()) + ACCESS_TTL
            body["data"]["scopes"] = SCOPES
            body["request_id"] = secrets.token_hex(16)
        else:
            body = {"code": body["code"], "message": body["message"], "ttl": 1}
        return json_response(answer.status, body)

    # -- data --------------------------------------------------------------------------------------------

    def _viewlist(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        page = _integer(request, "pn", 1, 1, None)
        size = _integer(request, "ps", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
        status = request.param("status") or "all"
        if status not in STATUSES:
            raise Refusal(PARAMETER_ERROR, f"请求参数错误: status must be one of {', '.join(STATUSES)}")
        # Every archive of the sandbox passed review and is open (开放浏览): none is being published or refused.
        archives = self.bilibili.archives(self.account.id, as_of) if status in ("all", "pubed") else []
        served = archives[(page - 1) * size : page * size]
        items = [self.bilibili.list_item(post) for post in served]
        if data_fault == "empty_page" and page * size < len(archives):
            items = []  # a paging lie: no items, yet more behind them
        if data_fault == "schema_drift":
            for item in items:
                item.update(DRIFT_ITEM)
        return envelope(OK, "0", {"list": items, "page": {"pn": page, "ps": size, "total": len(archives)}})

    def _arc_stat(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        resource_id = request.param("resource_id")
        if not resource_id:
            raise Refusal(PARAMETER_ERROR, "请求参数错误: resource_id is required")
        post = self.bilibili.archive(self.account.id, resource_id, as_of)
        if post is None:
            history = self.bilibili.posts_between(self.account.id, WORLD_START, as_of.date())
            deleted = any(p.id == resource_id for p in history)
            raise Refusal(ARCHIVE_DELETED, "稿件已经被删除") if deleted else Refusal(NO_SUCH_ARCHIVE, "不存在该稿件")
        stat = self.bilibili.stat(post, as_of)
        if data_fault == "schema_drift":
            stat.update(DRIFT_STAT)
        if data_fault == "negative_count":
            stat["view"] = -stat["view"] - 1
        elif data_fault == "missing_counter":
            del stat["favorite"]
        return envelope(OK, "0", stat)

    def _user_stat(self, as_of: datetime, data_fault: str | None) -> ApiResponse:
        stat = self.bilibili.user_stat(self.account.id, as_of)
        if data_fault == "schema_drift":
            stat["likes_total"] = 0
        if data_fault == "negative_count":
            stat["follower"] = -stat["follower"]
        elif data_fault == "missing_counter":
            del stat["follower"]
        return envelope(OK, "0", stat)


def _integer(request: ApiRequest, name: str, default: int, low: int, high: int | None) -> int:
    raw = request.param(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise Refusal(PARAMETER_ERROR, f"请求参数错误: {name} is not an integer: {raw!r}") from None
    if value < low or (high is not None and value > high):
        bounds = f"{low}..{high}" if high is not None else f">= {low}"
        raise Refusal(PARAMETER_ERROR, f"请求参数错误: {name} must be {bounds}")
    return value


SERVER = BilibiliServer

"""A tiny routed sandbox server and helpers for the framework tests (real HTTP on 127.0.0.1).

Each test registers the handlers it needs on ``RoutedServer`` instead of growing a platform sandbox:
the framework is tested against answers shaped like the platforms in the API reference, while the
platform sandboxes stay the business of their sources.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any, cast
from urllib.parse import parse_qsl

from extractors.auth import OAuthRefresh, Placement, TokenEndpoint, TokenRequestFields, TokenResponseFields
from extractors.error_table import Action, ErrorTable
from extractors.errors import ExtractContext
from extractors.http import HttpClient, RetrySettings
from extractors.streams import Window
from extractors.token_store import FileTokenStore, TokenSet, TokenStore
from sandbox.http_base import ApiRequest, ApiResponse, Clock, PlatformServer, json_response
from sandbox.token_server import TokenAuthority, TokenCheck, TokenPolicy, body_code_errors

# Tiny waits keep retries fast; timeouts stay well above a local answer's latency.
FAST = RetrySettings(max_attempts=4, base_wait=0.01, max_wait=0.5, connect_timeout=2.0, read_timeout=10.0)
WINDOW = Window(date(2026, 11, 1), date(2026, 11, 8))
CONTEXT = ExtractContext("framework", "reports", "acct_1", WINDOW, "framework_conn")

Handler = Callable[[ApiRequest], ApiResponse]


class RoutedServer(PlatformServer):
    """A PlatformServer whose answers are whatever handlers the test registered for (method, path)."""

    name = "framework"

    def __init__(self, tokens: TokenAuthority | None = None) -> None:
        # The framework tests need no simulated world; nothing here reads it.
        super().__init__(cast(Any, None), Clock(datetime(2026, 11, 23, tzinfo=UTC)))
        self.tokens = tokens
        self._routes: dict[tuple[str, str], Handler] = {}
        self._routes_lock = threading.Lock()

    def route(self, method: str, path: str, handler: Handler) -> None:
        with self._routes_lock:
            self._routes[(method.upper(), path)] = handler

    def reset(self, tokens: TokenAuthority | None = None) -> None:
        with self._routes_lock:
            self._routes.clear()
        self.tokens = tokens
        self.faults.clear()
        self.log.clear()

    def handle(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        if self.tokens is not None:
            answer = self.tokens.handle(request)
            if answer is not None:
                return answer
        with self._routes_lock:
            handler = self._routes.get((request.method, request.path))
        if handler is None:
            return json_response(404, {"error": f"no route {request.method} {request.path}"})
        return handler(request)

    def fault_response(self, fault: str, request: ApiRequest) -> ApiResponse:
        if fault == "rate_limit":
            return json_response(429, {"error": "slow down"}, {"Retry-After": "0"})
        if fault == "server_error":
            return json_response(503, {"error": "unavailable"})
        return json_response(401, {"error": "token expired"})

    def connection(self) -> dict[str, Any]:
        return {"conn_type": "http", "host": self.url}

    def statuses(self) -> list[int]:
        return [status for _, _, status in self.log.entries()]

    def paths(self) -> list[str]:
        return [target for _, target, _ in self.log.entries()]


def client(server: RoutedServer | None = None, **options: Any) -> HttpClient:
    """A client with fast retries and a no-op sleep unless the test passes its own."""
    options.setdefault("retry", FAST)
    options.setdefault("sleep", lambda seconds: None)
    return HttpClient(CONTEXT, **options)


def body_json(request: ApiRequest) -> Any:
    return json.loads(request.body or b"null")


def body_form(request: ApiRequest) -> dict[str, str]:
    return dict(parse_qsl(request.body.decode(), keep_blank_values=True))


def params(request: ApiRequest) -> dict[str, str]:
    return dict(request.params)


# -- an Ocean-Engine-shaped API with rotating refresh tokens ---------------------------------------------

OCEAN_CONN = "ocean_engine"
OCEAN_APP_ID = "1700000000000001"
OCEAN_SECRET = "ocean-app-secret-7f3a"
OCEAN_TOKEN_PATH = "/open_api/oauth2/refresh_token/"
OCEAN_REPORT_PATH = "/open_api/v3.0/report/custom/get/"
OCEAN_POLICY = TokenPolicy(
    path=OCEAN_TOKEN_PATH,
    access_ttl=86400.0,
    refresh_ttl=30 * 86400.0,
    rotate_refresh=True,
    client_id_field="app_id",
    client_secret_field="secret",
    response_path=("data",),
    response_extra={"code": 0, "message": "OK", "request_id": "sbx-token"},
    error=body_code_errors({"invalid_grant": 40107, "invalid_client": 40001, "invalid_request": 40001}),
    # Long enough that a second refresher certainly arrives while the first holds the store's lock.
    delay=0.3,
)
# What the API itself answers: HTTP 200 always, the code says what happened.
OCEAN_API_ERRORS = ErrorTable(
    code_path="code",
    ok_codes=frozenset({0}),
    message_paths=("message",),
    request_id_paths=("request_id",),
    codes={40100: Action.RATE_LIMITED, 40102: Action.REFRESH, 40104: Action.AUTH, 40105: Action.AUTH,
           50000: Action.RETRY},
)  # fmt: skip
OCEAN_TOKEN_ERRORS = ErrorTable(
    code_path="code",
    ok_codes=frozenset({0}),
    message_paths=("message",),
    codes={40103: Action.AUTH, 40107: Action.AUTH, 40001: Action.AUTH, 50000: Action.RETRY},
)


def ocean_authority(**changes: Any) -> TokenAuthority:
    policy = replace(OCEAN_POLICY, **changes) if changes else OCEAN_POLICY
    return TokenAuthority(policy, client_id=OCEAN_APP_ID, client_secret=OCEAN_SECRET)


def ocean_endpoint(base_url: str) -> TokenEndpoint:
    return TokenEndpoint(
        url=f"{base_url}{OCEAN_TOKEN_PATH}",
        client_id=OCEAN_APP_ID,
        client_secret=OCEAN_SECRET,
        body="json",
        request_fields=TokenRequestFields(client_id="app_id", client_secret="secret"),
        response_fields=TokenResponseFields(path="data"),
        errors=OCEAN_TOKEN_ERRORS,
    )


def ocean_auth(base_url: str, store: TokenStore, **options: Any) -> OAuthRefresh:
    return OAuthRefresh(
        ocean_endpoint(base_url), placement=Placement.header("Access-Token"), store=store, key=OCEAN_CONN, **options
    )


class OceanReportApi:
    """The report endpoint: checks ``Access-Token`` with the authority and remembers what it saw.

    ``hold_expired`` (a barrier) keeps each "token expired" answer back until that many arrived, so
    concurrent callers certainly all hold the expired token before any of them refreshes.
    """

    def __init__(self, authority: TokenAuthority) -> None:
        self.authority = authority
        self.accepted: list[str] = []
        self.rejected: list[str] = []
        self.hold_expired: threading.Barrier | None = None
        self._lock = threading.Lock()

    def install(self, server: RoutedServer) -> None:
        server.tokens = self.authority
        server.route("GET", OCEAN_REPORT_PATH, self.report)

    def report(self, request: ApiRequest) -> ApiResponse:
        token = request.header("Access-Token") or ""
        state = self.authority.check(token)
        if state is TokenCheck.EXPIRED:
            with self._lock:
                self.rejected.append(token)
            if self.hold_expired is not None:
                # A broken barrier (a caller never came) still answers; the test's assertions then fail.
                with contextlib.suppress(threading.BrokenBarrierError):
                    self.hold_expired.wait()
            return json_response(200, {"code": 40102, "message": "access token expired", "request_id": "rq-exp"})
        if state is TokenCheck.UNKNOWN:
            return json_response(200, {"code": 40105, "message": "access token is incorrect", "request_id": "rq-bad"})
        with self._lock:
            self.accepted.append(token)
        rows = [{"dimensions": {"stat_time_day": "2026-11-01"}, "metrics": {"stat_cost": "12.30"}}]
        return json_response(200, {"code": 0, "message": "OK", "data": {"rows": rows}, "request_id": "rq-ok"})


def seed_store(store: TokenStore, authority: TokenAuthority) -> TokenSet:
    """Store a freshly authorized pair, as the initial OAuth consent would."""
    pair = authority.issue()
    tokens = TokenSet(pair["access_token"], pair["refresh_token"], pair["expires_at"], pair["refresh_expires_at"])
    store.save(OCEAN_CONN, tokens)
    return tokens


def rotating_refresh_worker(base_url: str, folder: str, start: Any, results: Any) -> None:
    """One task in its own process: its own store object, auth and client; reports what it got."""
    try:
        auth = ocean_auth(base_url, FileTokenStore(folder))
        with client(auth=auth, classifier=OCEAN_API_ERRORS) as http:
            start.wait(timeout=30)
            body, _ = http.get_json(f"{base_url}{OCEAN_REPORT_PATH}", {"advertiser_id": "1001"})
        results.put(("ok", body["data"]["rows"][0]["metrics"]["stat_cost"], auth.refreshes))
    except Exception as exc:  # the parent asserts on it; a traceback in a child is easy to miss
        results.put(("error", f"{type(exc).__name__}: {exc}", -1))

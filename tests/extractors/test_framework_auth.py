"""Auth strategies over real HTTP: static tokens, OAuth refresh, rotating tokens shared by concurrent tasks,
signed requests, and that no secret reaches a repr, a log line or an error.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import multiprocessing
import queue
import stat
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from extractors.auth import (
    Chain,
    OAuthRefresh,
    Placement,
    SignedRequest,
    SignMethod,
    StaticToken,
    TokenEndpoint,
    TokenRequestFields,
    canonical_json,
    gmt8_timestamp,
)
from extractors.error_table import Action, ErrorTable
from extractors.errors import AuthError, TokenRefreshFailed
from extractors.http import PreparedCall
from extractors.token_store import FileTokenStore, MemoryTokenStore, TokenSet
from sandbox.http_base import ApiRequest, json_response
from sandbox.token_server import TokenAuthority, TokenCheck, TokenPolicy
from tests.extractors.framework_servers import (
    OCEAN_API_ERRORS,
    OCEAN_CONN,
    OCEAN_REPORT_PATH,
    OCEAN_SECRET,
    OceanReportApi,
    RoutedServer,
    body_form,
    client,
    ocean_auth,
    ocean_authority,
    params,
    rotating_refresh_worker,
    seed_store,
)


@pytest.fixture
def ocean(server: RoutedServer) -> OceanReportApi:
    api = OceanReportApi(ocean_authority())
    api.install(server)
    return api


def report_url(server: RoutedServer) -> str:
    return f"{server.url}{OCEAN_REPORT_PATH}"


# -- static tokens --------------------------------------------------------------------------------------


def test_static_tokens_go_where_the_platform_wants_them(server: RoutedServer) -> None:
    def echo(request: ApiRequest) -> Any:
        return json_response(
            200,
            {
                "authorization": request.header("Authorization"),
                "access_token_header": request.header("Access-Token"),
                "query": params(request),
            },
        )

    server.route("GET", "/me", echo)
    cases: list[tuple[StaticToken, dict[str, Any]]] = [
        (StaticToken.bearer("tok-b"), {"authorization": "Bearer tok-b", "access_token_header": None, "query": {}}),
        (
            StaticToken.header("Access-Token", "tok-h"),
            {"authorization": None, "access_token_header": "tok-h", "query": {}},
        ),
        (
            StaticToken.query("access_token", "tok-q"),
            {"authorization": None, "access_token_header": None, "query": {"access_token": "tok-q", "x": "1"}},
        ),
    ]
    for auth, expected in cases:
        with client(auth=auth) as http:
            assert http.get_json(f"{server.url}/me", {"x": "1"} if expected["query"] else None)[0] == expected
        assert "tok-" not in repr(auth)


# -- OAuth refresh-token grant (Google-like: the refresh token never rotates) ------------------------------

GOOGLE_API_ERRORS = ErrorTable(
    code_path="error.status",
    codes={"UNAUTHENTICATED": Action.REFRESH, "RESOURCE_EXHAUSTED": Action.RATE_LIMITED},
    message_paths=("error.message",),
)


class GoogleLike:
    """A Bearer-token API plus an RFC 6749 token endpoint on the test server, sharing one fake clock."""

    def __init__(self, server: RoutedServer, *, always_expired: bool = False) -> None:
        self.now = [1_000_000.0]
        self.authority = TokenAuthority(
            TokenPolicy(path="/token", access_ttl=3600.0, return_refresh_token=False), now=lambda: self.now[0]
        )
        self.refresh_token = self.authority.issue()["refresh_token"]
        self.accepted: list[str] = []
        self.always_expired = always_expired
        server.tokens = self.authority
        server.route("POST", "/v21/customers/1/googleAds:searchStream", self.search)
        self.url = f"{server.url}/v21/customers/1/googleAds:searchStream"
        self.endpoint = TokenEndpoint(
            f"{server.url}/token", client_id="sandbox-client", client_secret="sandbox-client-secret"
        )

    def search(self, request: ApiRequest) -> Any:
        token = (request.header("Authorization") or "").removeprefix("Bearer ")
        if self.always_expired or self.authority.check(token) is not TokenCheck.VALID:
            error = {
                "code": 401,
                "status": "UNAUTHENTICATED",
                "message": "Request had invalid authentication credentials.",
            }
            return json_response(401, {"error": error})
        self.accepted.append(token)
        return json_response(200, [{"results": [{"campaign": {"id": "7"}}]}])

    def auth(self) -> OAuthRefresh:
        return OAuthRefresh(self.endpoint, refresh_token=self.refresh_token, clock=lambda: self.now[0])


def test_oauth_refresh_gets_a_token_first_and_again_when_the_platform_says_it_expired(server: RoutedServer) -> None:
    google = GoogleLike(server)
    auth = google.auth()
    with client(auth=auth, classifier=GOOGLE_API_ERRORS) as http:
        body, _ = http.request_json(
            "POST", google.url, json={"query": "SELECT campaign.id FROM campaign"}, allow_array=True
        )
        assert body == [{"results": [{"campaign": {"id": "7"}}]}]
        first = auth.current
        assert first is not None and first.access_token == google.accepted[0]

        google.authority.expire_access_tokens()
        http.request_json("POST", google.url, json={"query": "q"}, allow_array=True)

    second = auth.current
    assert second is not None and second.access_token != first.access_token
    # The retry after the refresh carried the new token, and the refresh token was kept (no rotation).
    assert google.accepted == [first.access_token, second.access_token]
    assert second.refresh_token == google.refresh_token and google.authority.refresh_token_alive(google.refresh_token)
    assert google.authority.refresh_calls == 2
    assert server.statuses() == [200, 200, 401, 200, 200]
    assert second.expires_at == google.now[0] + 3600.0


def test_oauth_refresh_happens_ahead_of_expiry(server: RoutedServer) -> None:
    google = GoogleLike(server)
    auth = google.auth()  # refreshes when less than 300 s remain
    with client(auth=auth, classifier=GOOGLE_API_ERRORS) as http:
        http.request_json("POST", google.url, json={"query": "q"}, allow_array=True)
        google.now[0] += 3600.0 - 299.0
        http.request_json("POST", google.url, json={"query": "q"}, allow_array=True)
        http.request_json("POST", google.url, json={"query": "q"}, allow_array=True)
    assert google.authority.refresh_calls == 2
    assert 401 not in server.statuses()  # never sent a token about to expire
    assert len(set(google.accepted)) == 2 and len(google.accepted) == 3


def test_a_token_still_rejected_after_refresh_is_an_auth_error_after_one_retry(server: RoutedServer) -> None:
    google = GoogleLike(server, always_expired=True)
    with client(auth=google.auth(), classifier=GOOGLE_API_ERRORS) as http, pytest.raises(AuthError) as info:
        http.request_json("POST", google.url, json={"query": "q"}, allow_array=True)
    assert "still rejected right after a token refresh" in str(info.value)
    assert google.authority.refresh_calls == 2  # the first token, then one refresh; no loop
    assert server.statuses() == [200, 401, 200, 401]


def test_a_dead_refresh_token_fails_the_refresh_without_leaking_it(server: RoutedServer) -> None:
    google = GoogleLike(server)
    google.authority.revoke_refresh_tokens()
    with client(auth=google.auth(), classifier=GOOGLE_API_ERRORS) as http, pytest.raises(TokenRefreshFailed) as info:
        http.request_json("POST", google.url, json={"query": "q"}, allow_array=True)
    message = str(info.value)
    assert "invalid_grant" in message and "re-authorize the app" in message and "'framework_conn'" in message
    assert google.refresh_token not in message and "sandbox-client-secret" not in message
    assert info.value.retryable is False
    assert server.statuses() == [400]  # the token endpoint only; the API never saw a request


def test_an_expired_refresh_token_is_not_even_sent(server: RoutedServer) -> None:
    google = GoogleLike(server)
    initial = TokenSet(refresh_token=google.refresh_token, refresh_expires_at=google.now[0] - 1)
    auth = OAuthRefresh(google.endpoint, initial=initial, clock=lambda: google.now[0])
    with client(auth=auth) as http, pytest.raises(TokenRefreshFailed, match="the refresh token expired at"):
        http.request_json("POST", google.url, json={"query": "q"}, allow_array=True)
    assert server.statuses() == []


def test_a_client_credential_grant_in_a_shared_store_wechat_style(server: RoutedServer, tmp_path: Path) -> None:
    """WeChat: no refresh token; a new token ends the old one, so tasks share one through the store."""
    issued: list[str] = []

    def token(request: ApiRequest) -> Any:
        if params(request) != {"grant_type": "client_credential", "appid": "wx-app", "secret": "wx-secret"}:
            return json_response(200, {"errcode": 40013, "errmsg": "invalid appid"})
        issued.append(f"wx-token-{len(issued) + 1}")
        return json_response(200, {"access_token": issued[-1], "expires_in": 7200})

    def summary(request: ApiRequest) -> Any:
        if request.param("access_token") != issued[-1]:
            return json_response(200, {"errcode": 42001, "errmsg": "access_token expired"})
        return json_response(200, {"list": [{"ref_date": "2026-11-01", "new_user": 3}]})

    server.route("GET", "/cgi-bin/token", token)
    server.route("POST", "/datacube/getusersummary", summary)
    wechat_errors = ErrorTable(
        code_path="errcode", ok_codes=frozenset({0}), message_paths=("errmsg",), codes={42001: Action.REFRESH}
    )
    endpoint = TokenEndpoint(
        f"{server.url}/cgi-bin/token",
        client_id="wx-app",
        client_secret="wx-secret",
        grant_type="client_credential",
        uses_refresh_token=False,
        method="GET",
        body="query",
        request_fields=TokenRequestFields(client_id="appid", client_secret="secret"),
        errors=wechat_errors,
    )
    folder = tmp_path / "tokens"

    def auth() -> OAuthRefresh:
        return OAuthRefresh(
            endpoint, placement=Placement.query("access_token"), store=FileTokenStore(folder), key="wechat"
        )

    first, second = auth(), auth()
    url = f"{server.url}/datacube/getusersummary"
    window = {"begin_date": "2026-11-01", "end_date": "2026-11-07"}
    with client(auth=first, classifier=wechat_errors) as a, client(auth=second, classifier=wechat_errors) as b:
        assert a.request_json("POST", url, json=window)[0]["list"][0]["new_user"] == 3
        assert b.request_json("POST", url, json=window)[0]["list"][0]["new_user"] == 3  # reuses the stored token
        issued.append("wx-token-from-elsewhere")  # someone else fetched one: ours is now dead
        assert a.request_json("POST", url, json=window)[0]["list"]
    assert issued == ["wx-token-1", "wx-token-from-elsewhere", "wx-token-3"]
    assert (first.refreshes, second.refreshes) == (2, 0)


# -- rotating refresh tokens in a shared store (Ocean-Engine-like) ------------------------------------------


def test_a_refresh_rotates_both_tokens_in_the_store(
    server: RoutedServer, ocean: OceanReportApi, tmp_path: Path
) -> None:
    store = FileTokenStore(tmp_path / "tokens")
    seeded = seed_store(store, ocean.authority)
    ocean.authority.expire_access_tokens()

    auth = ocean_auth(server.url, store)
    with client(auth=auth, classifier=OCEAN_API_ERRORS) as http:
        body, _ = http.get_json(report_url(server), {"advertiser_id": "1001"})
    assert body["data"]["rows"][0]["metrics"] == {"stat_cost": "12.30"}

    stored = store.load(OCEAN_CONN)
    assert stored is not None and stored.access_token and stored.refresh_token
    assert stored.access_token != seeded.access_token and stored.refresh_token != seeded.refresh_token
    assert not ocean.authority.refresh_token_alive(seeded.refresh_token or "")
    assert ocean.authority.refresh_token_alive(stored.refresh_token)
    assert ocean.accepted == [stored.access_token] and ocean.rejected == [seeded.access_token]
    assert ocean.authority.refresh_calls == 1 and auth.refreshes == 1

    path = store.path(OCEAN_CONN)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == [f"{OCEAN_CONN}.json", f"{OCEAN_CONN}.lock"]
    assert json.loads(path.read_text())["refresh_token"] == stored.refresh_token


def test_the_connections_refresh_token_seeds_an_empty_store_and_the_store_wins_after(
    server: RoutedServer, ocean: OceanReportApi, tmp_path: Path
) -> None:
    from_connection = ocean.authority.issue()["refresh_token"]
    store = FileTokenStore(tmp_path / "tokens")
    with client(auth=ocean_auth(server.url, store, refresh_token=from_connection), classifier=OCEAN_API_ERRORS) as http:
        http.get_json(report_url(server))
    rotated = store.load(OCEAN_CONN)
    assert rotated is not None and rotated.refresh_token != from_connection
    assert not ocean.authority.refresh_token_alive(from_connection)

    # The next run is configured with the same, now dead, refresh token; the store's pair is used instead.
    ocean.authority.expire_access_tokens()
    again = ocean_auth(server.url, FileTokenStore(tmp_path / "tokens"), refresh_token=from_connection)
    with client(auth=again, classifier=OCEAN_API_ERRORS) as http:
        http.get_json(report_url(server))
    newest = store.load(OCEAN_CONN)
    assert newest is not None and newest.refresh_token not in (from_connection, rotated.refresh_token)
    assert ocean.authority.refresh_calls == 2 and ocean.authority.refreshes_granted == 2


def _run_two_threads(server: RoutedServer, make_store: Any) -> list[tuple[str, Any, int]]:
    start = threading.Barrier(2, timeout=10)
    results: list[tuple[str, Any, int]] = []
    lock = threading.Lock()

    def task() -> None:
        auth = ocean_auth(server.url, make_store())
        try:
            with client(auth=auth, classifier=OCEAN_API_ERRORS) as http:
                start.wait()
                body, _ = http.get_json(report_url(server), {"advertiser_id": "1001"})
            outcome: tuple[str, Any, int] = ("ok", body["data"]["rows"][0]["metrics"]["stat_cost"], auth.refreshes)
        except Exception as exc:
            outcome = ("error", exc, auth.refreshes)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=task) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _assert_one_refresh_shared_by_both(ocean: OceanReportApi, store: FileTokenStore, seeded: TokenSet) -> None:
    assert ocean.authority.refresh_calls == 1
    stored = store.load(OCEAN_CONN)
    assert stored is not None and stored.refresh_token and stored.refresh_token != seeded.refresh_token
    assert not ocean.authority.refresh_token_alive(seeded.refresh_token or "")  # the used one is dead
    assert ocean.authority.refresh_token_alive(stored.refresh_token)
    # Both held the expired token, and both then succeeded with the one new token.
    assert ocean.rejected == [seeded.access_token, seeded.access_token]
    assert ocean.accepted == [stored.access_token, stored.access_token]


def test_two_threads_refreshing_one_rotating_token_make_one_refresh_call(
    server: RoutedServer, ocean: OceanReportApi, tmp_path: Path
) -> None:
    folder = tmp_path / "tokens"
    seeded = seed_store(FileTokenStore(folder), ocean.authority)
    ocean.authority.expire_access_tokens()
    ocean.hold_expired = threading.Barrier(2, timeout=10)

    # Each thread has its own store object, auth and client: only the folder is shared.
    results = _run_two_threads(server, lambda: FileTokenStore(folder))

    assert sorted((status, cost) for status, cost, _ in results) == [("ok", "12.30"), ("ok", "12.30")]
    assert sorted(refreshes for _, _, refreshes in results) == [0, 1]
    _assert_one_refresh_shared_by_both(ocean, FileTokenStore(folder), seeded)


def test_two_processes_refreshing_one_rotating_token_make_one_refresh_call(
    server: RoutedServer, ocean: OceanReportApi, tmp_path: Path
) -> None:
    folder = tmp_path / "tokens"
    seeded = seed_store(FileTokenStore(folder), ocean.authority)
    ocean.authority.expire_access_tokens()
    ocean.hold_expired = threading.Barrier(2, timeout=20)

    # Spawned, not forked: a fork would copy this process's server threads and locks mid-flight.
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(target=rotating_refresh_worker, args=(server.url, str(folder), start, results))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    outcomes = _collect(results, workers)
    for worker in workers:
        worker.join(timeout=30)

    assert sorted(outcome[:2] for outcome in outcomes) == [("ok", "12.30"), ("ok", "12.30")], outcomes
    assert sorted(outcome[2] for outcome in outcomes) == [0, 1]
    assert all(worker.exitcode == 0 for worker in workers)
    _assert_one_refresh_shared_by_both(ocean, FileTokenStore(folder), seeded)


def _collect(results: Any, workers: list[Any], deadline_seconds: float = 60.0) -> list[Any]:
    """The workers' outcomes; stops early when a worker died without reporting (a crash, not a hang)."""
    outcomes: list[Any] = []
    deadline = time.monotonic() + deadline_seconds
    while len(outcomes) < len(workers) and time.monotonic() < deadline:
        try:
            outcomes.append(results.get(timeout=0.5))
        except queue.Empty:
            if not any(worker.is_alive() for worker in workers):
                break
    return outcomes


def test_without_a_shared_store_concurrent_refreshes_kill_each_other(
    server: RoutedServer, ocean: OceanReportApi
) -> None:
    """Why the store exists: two private copies of the pair make two refresh calls, and the second fails."""
    shared = MemoryTokenStore()
    seeded = seed_store(shared, ocean.authority)
    ocean.authority.expire_access_tokens()
    ocean.hold_expired = threading.Barrier(2, timeout=10)

    def private_copy() -> MemoryTokenStore:
        store = MemoryTokenStore()
        store.save(OCEAN_CONN, seeded)
        return store

    results = _run_two_threads(server, private_copy)
    assert ocean.authority.refresh_calls == 2
    statuses = sorted(status for status, _, _ in results)
    assert statuses == ["error", "ok"]
    [error] = [value for status, value, _ in results if status == "error"]
    assert isinstance(error, TokenRefreshFailed) and "code 40107" in str(error)


def test_a_token_another_task_already_refreshed_is_used_without_calling_the_endpoint(
    server: RoutedServer, ocean: OceanReportApi, tmp_path: Path
) -> None:
    store = FileTokenStore(tmp_path / "tokens")
    seeded = seed_store(store, ocean.authority)
    auth = ocean_auth(server.url, store)
    with client(auth=auth, classifier=OCEAN_API_ERRORS) as http:
        http.get_json(report_url(server))  # this task now holds the seeded pair
        # Another task refreshes meanwhile, then the seeded access token expires on the platform.
        other = ocean_auth(server.url, FileTokenStore(tmp_path / "tokens"))
        other.refresh(PreparedCall("GET", report_url(server), credential=seeded.access_token), http)
        ocean.authority.expire_access_tokens([seeded.access_token or ""])
        http.get_json(report_url(server))
    newest = store.load(OCEAN_CONN)
    assert newest is not None and newest.access_token != seeded.access_token
    assert ocean.authority.refresh_calls == 1 and other.refreshes == 1 and auth.refreshes == 0
    assert ocean.rejected == [seeded.access_token]
    assert ocean.accepted == [seeded.access_token, newest.access_token]


# -- store and secrets ------------------------------------------------------------------------------------


def test_the_file_store_round_trips_and_rejects_unsafe_keys(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "t")
    assert store.load("conn") is None
    tokens = TokenSet("at-1", "rt-1", 100.0, 200.0)
    store.save("conn", tokens)
    assert store.load("conn") == tokens
    assert stat.S_IMODE((tmp_path / "t").stat().st_mode) == 0o700
    with pytest.raises(ValueError, match="must be letters"):
        store.path("../etc/passwd")
    (tmp_path / "t" / "bad.json").write_text('{"access_token": "at-SECRET", ')
    with pytest.raises(Exception, match="not a valid token file") as info:
        store.load("bad")
    assert "at-SECRET" not in str(info.value)


def test_no_secret_in_reprs_logs_or_errors(
    server: RoutedServer, ocean: OceanReportApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = FileTokenStore(tmp_path / "tokens")
    seeded = seed_store(store, ocean.authority)
    ocean.authority.expire_access_tokens()
    auth = ocean_auth(server.url, store)
    caplog.set_level(logging.DEBUG)
    with client(auth=auth, classifier=OCEAN_API_ERRORS) as http:
        http.get_json(report_url(server), {"advertiser_id": "1001"})
        stored = store.load(OCEAN_CONN)
        assert stored is not None
        # The platform echoes the tokens in an error: the client masks old and new ones alike.
        echo = f"token {seeded.access_token} replaced by {stored.access_token}; refresh {stored.refresh_token}"
        server.route("GET", "/echo", lambda r: json_response(200, {"code": 40001, "message": echo}))
        with pytest.raises(Exception) as info:
            http.get_json(f"{server.url}/echo")

    secrets = [seeded.access_token, seeded.refresh_token, stored.access_token, stored.refresh_token, OCEAN_SECRET]
    texts = {
        "error": str(info.value),
        "logs": caplog.text,
        "reprs": " ".join(repr(x) for x in (auth, stored, seeded, store, auth.endpoint, auth.current)),
    }
    for where, text in texts.items():
        for secret in secrets:
            assert secret and secret not in text, where
    assert "token REDACTED replaced by REDACTED; refresh REDACTED" in texts["error"]
    assert "access token refreshed" in caplog.text


# -- signed requests --------------------------------------------------------------------------------------

PINNED = datetime(2026, 11, 23, 0, 0, 0, tzinfo=UTC)


def all_fields(request: ApiRequest) -> dict[str, str]:
    fields = dict(parse_qsl(urlsplit(request.target).query, keep_blank_values=True))
    if request.body and "form" in (request.header("Content-Type") or ""):
        fields.update(body_form(request))
    return fields


def top_sign(secret: str, fields: dict[str, str], method: str) -> str:
    """Taobao TOP's recipe, written out independently of the code under test."""
    text = "".join(f"{k}{fields[k]}" for k in sorted(fields) if k != "sign")
    if method == "md5":
        return hashlib.md5((secret + text + secret).encode()).hexdigest().upper()
    return hmac.new(secret.encode(), text.encode(), hashlib.md5).hexdigest().upper()


@pytest.mark.parametrize(("method", "name"), [(SignMethod.MD5, "md5"), (SignMethod.HMAC_MD5, "hmac")])
def test_taobao_top_signature_over_query_and_form(server: RoutedServer, method: SignMethod, name: str) -> None:
    received: list[dict[str, str]] = []

    def router(request: ApiRequest) -> Any:
        fields = all_fields(request)
        received.append(fields)
        if fields.get("sign") != top_sign("top-secret", fields, fields.get("sign_method", "")):
            return json_response(200, {"error_response": {"code": 25, "msg": "Invalid signature"}})
        return json_response(200, {"trades_sold_get_response": {"total_results": 0, "has_next": False}})

    server.route("POST", "/router/rest", router)
    signer = SignedRequest(
        "12345678", "top-secret", method=method, clock=lambda: PINNED, extra_params={"v": "2.0", "format": "json"}
    )
    auth = Chain(StaticToken.query("session", "seller-session-1"), signer)
    taobao = ErrorTable(code_path="error_response.code", message_paths=("error_response.msg",), codes={25: Action.FAIL})
    with client(auth=auth, classifier=taobao) as http:
        body, _ = http.request_json(
            "POST",
            f"{server.url}/router/rest",
            params={"method": "taobao.trades.sold.get"},
            data={"fields": "tid,payment", "page_no": 1, "use_has_next": True},
        )
    assert body == {"trades_sold_get_response": {"total_results": 0, "has_next": False}}
    [fields] = received
    assert fields["timestamp"] == "2026-11-23 08:00:00"  # GMT+8
    assert (fields["app_key"], fields["sign_method"], fields["session"], fields["use_has_next"]) == (
        "12345678", name, "seller-session-1", "true",
    )  # fmt: skip
    assert signer.sign({"a": "1", "b": "2"}) == top_sign("top-secret", {"a": "1", "b": "2"}, name)
    assert "top-secret" not in repr(signer)


def test_a_known_md5_signature() -> None:
    signer = SignedRequest("test", "test", clock=lambda: PINNED)
    expected = hashlib.md5(b"testapp_keytestmethodtaobao.item.gettimestamp2026-11-23 08:00:00test").hexdigest()
    assert signer.sign({"method": "taobao.item.get", "app_key": "test", "timestamp": "2026-11-23 08:00:00"}) == (
        expected.upper()
    )
    assert gmt8_timestamp(PINNED - timedelta(hours=9)) == "2026-11-22 23:00:00"


def test_douyin_shop_signs_param_json_and_resigns_every_attempt(server: RoutedServer) -> None:
    secret = "dd-app-secret"
    signed_names = ("app_key", "method", "param_json", "timestamp", "v")
    verified: list[str] = []

    def search(request: ApiRequest) -> Any:
        query = dict(parse_qsl(urlsplit(request.target).query))
        param_json = request.body.decode()
        fields = {**query, "param_json": param_json}
        text = "".join(f"{k}{fields[k]}" for k in sorted(signed_names))
        expected = hmac.new(secret.encode(), (secret + text + secret).encode(), hashlib.sha256).hexdigest()
        if query.get("sign") != expected or query.get("access_token") != "dd-token":
            return json_response(200, {"code": 40004, "msg": "sign invalid"})
        verified.append(query["timestamp"])
        return json_response(200, {"code": 10000, "msg": "success", "data": {"shop_order_list": [], "total": 0}})

    server.route("POST", "/order/searchList", search)
    moments = iter([PINNED, PINNED + timedelta(seconds=5)])
    signer = SignedRequest(
        "dd-app",
        secret,
        method=SignMethod.HMAC_SHA256,
        clock=lambda: next(moments),
        extra_params={"v": "2"},
        signed_params=frozenset(signed_names),
        body_param="param_json",
        wrap_hmac=True,
        uppercase=False,
    )
    douyin = ErrorTable(code_path="code", ok_codes=frozenset({10000}), message_paths=("msg",))
    server.faults.push("server_error", 1)
    with client(auth=Chain(signer, StaticToken.query("access_token", "dd-token")), classifier=douyin) as http:
        body, _ = http.request_json(
            "POST",
            f"{server.url}/order/searchList",
            params={"method": "order.searchList"},
            json={"size": 100, "page": 0, "update_time_start": 1763856000, "order_by": "update_time"},
        )
    assert body["data"] == {"shop_order_list": [], "total": 0}
    assert server.statuses() == [503, 200]
    assert verified == ["2026-11-23 08:00:05"]  # the retry was signed afresh, with its own timestamp
    first_target = server.paths()[0]
    assert "timestamp=2026-11-23+08%3A00%3A00" in first_target
    assert canonical_json({"b": 1, "a": {"d": 2, "c": "值"}}) == '{"a":{"c":"值","d":2},"b":1}'


def test_placement_rejects_a_template_without_the_token() -> None:
    with pytest.raises(ValueError):
        Placement.header("Authorization", "Bearer")

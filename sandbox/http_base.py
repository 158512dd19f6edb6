"""What every sandbox API server shares: the HTTP plumbing, the clock, fault injection, the request log.

A platform server only says how its API answers (``handle``) and how its errors look
(``fault_response``); this module decides when a fault fires, sleeps for timeouts, truncates
"malformed" bodies, serves the ``/_sandbox/*`` admin endpoints and records each API request.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import traceback
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

from sandbox.formats import parse_as_of
from sandbox.world import World

# Faults every server knows; a platform may add data faults of its own (``PlatformServer.data_faults``).
FAULTS = ("rate_limit", "server_error", "timeout", "malformed", "token_expired", "schema_drift")
# Faults answered by the platform's canned error (``fault_response``); a platform may add its own.
RESPONSE_FAULTS = ("rate_limit", "server_error", "token_expired")
TRANSPORT_FAULTS = (*RESPONSE_FAULTS, "timeout", "malformed")
ADMIN_PREFIX = "/_sandbox/"


@dataclass(frozen=True)
class ApiRequest:
    method: str
    target: str  # path and query exactly as sent, for the request log
    path: str
    params: list[tuple[str, str]]  # in order, repeated names kept
    headers: Mapping[str, str]  # names lower-cased
    body: bytes
    base_url: str  # "http://127.0.0.1:PORT", to build absolute paging URLs

    def param(self, name: str) -> str | None:
        """The last value of a query parameter (later values win, as on most web stacks)."""
        value = None
        for key, item in self.params:
            if key == name:
                value = item
        return value

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())  # stored lower-cased: HTTP header names are case-blind


@dataclass
class ApiResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> ApiResponse:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return ApiResponse(status, body, {"Content-Type": "application/json; charset=utf-8", **(headers or {})})


class Clock:
    """The world's "now", shared by both servers so one move of the clock moves the whole world."""

    def __init__(self, as_of: datetime) -> None:
        self._lock = threading.Lock()
        self._as_of = as_of

    def now(self) -> datetime:
        with self._lock:
            return self._as_of

    def set(self, as_of: datetime) -> None:
        with self._lock:
            self._as_of = as_of


class FaultQueue:
    """Faults waiting for the next API requests, first in first out."""

    def __init__(self, known: tuple[str, ...] = FAULTS) -> None:
        self._lock = threading.Lock()
        self._queue: deque[str] = deque()
        self._known = known

    def push(self, fault: str, times: int) -> None:
        if fault not in self._known:
            raise ValueError(f"unknown fault {fault!r}; known: {', '.join(self._known)}")
        if times < 0:
            raise ValueError(f"times must be >= 0, got {times}")
        with self._lock:
            self._queue.extend([fault] * times)

    def pop(self) -> str | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def pending(self) -> list[str]:
        with self._lock:
            return list(self._queue)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()


class RequestLog:
    """(method, path_with_query, status) of every API request, for tests to assert on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[tuple[str, str, int]] = []

    def append(self, method: str, target: str, status: int) -> None:
        with self._lock:
            self._entries.append((method, target, status))

    def entries(self) -> list[tuple[str, str, int]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class PlatformServer(ABC):
    """One platform's API on 127.0.0.1, served from daemon threads."""

    name: ClassVar[str]
    # Faults that change what a successful answer carries; ``handle`` applies them.
    data_faults: ClassVar[tuple[str, ...]] = ("schema_drift",)
    # Error answers beyond RESPONSE_FAULTS that this platform's ``fault_response`` knows.
    extra_response_faults: ClassVar[tuple[str, ...]] = ()
    # The path of the account settings endpoint (time zone, currency), if the platform has one.
    settings_path: ClassVar[re.Pattern[str] | None] = None

    def __init__(
        self,
        world: World,
        clock: Clock,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        timeout_seconds: Callable[[], float] = lambda: 3.0,
    ) -> None:
        self.world = world
        self.clock = clock
        self.faults = FaultQueue(TRANSPORT_FAULTS + self.extra_response_faults + self.data_faults)
        self.log = RequestLog()
        self._host, self._port = host, port
        self._timeout_seconds = timeout_seconds
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # -- what a platform supplies ----------------------------------------------------------------------

    @abstractmethod
    def handle(self, request: ApiRequest, as_of: datetime, data_fault: str | None) -> ApiResponse:
        """Answer an API request as the platform would at ``as_of``, spoiled by ``data_fault`` if set
        (one of ``data_faults``, e.g. ``schema_drift``: records carry unknown fields)."""

    @abstractmethod
    def fault_response(self, fault: str, request: ApiRequest) -> ApiResponse:
        """The platform's answer for ``rate_limit``, ``server_error``, ``token_expired`` and its extra faults."""

    def is_settings_request(self, path: str) -> bool:
        """Whether a request to ``path`` reads the account's settings (zone, currency); armed faults pass it by."""
        return self.settings_path is not None and self.settings_path.match(urlsplit(path).path) is not None

    @abstractmethod
    def connection(self) -> dict[str, Any]:
        """The Airflow connection (JSON form) that points the source's extractor at this server."""

    def http_connection(self, password: str, extra: dict[str, Any]) -> dict[str, Any]:
        """An ``http`` connection to this server with ``password`` and ``extra``: what most ``connection``s are."""
        return {"conn_type": "http", "host": self.url, "password": password, "extra": extra}

    # -- lifecycle -------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError(f"{self.name} server is not running; call start() first")
        return f"http://{self._host}:{self._httpd.server_port}"

    def start(self) -> None:
        if self._httpd is not None:
            return
        self._stopping.clear()
        httpd = ThreadingHTTPServer((self._host, self._port), _Handler)
        httpd.daemon_threads = True
        httpd.platform = self  # type: ignore[attr-defined]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, name=f"sandbox-{self.name}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._stopping.set()  # wakes handlers sleeping on a timeout fault
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd, self._thread = None, None

    # -- dispatch --------------------------------------------------------------------------------------

    def serve(self, request: ApiRequest) -> tuple[ApiResponse, float]:
        """The response to send and how long to wait before sending it."""
        if request.path.startswith(ADMIN_PREFIX):
            return self._admin(request), 0.0
        # Armed faults spoil the data requests a test is about, not the settings read before them.
        fault = None if self.is_settings_request(request.path) else self.faults.pop()
        delay = 0.0
        try:
            if fault in RESPONSE_FAULTS + self.extra_response_faults:
                response = self.fault_response(fault, request)
            else:
                data_fault = fault if fault in self.data_faults else None
                response = self.handle(request, self.clock.now(), data_fault)
                if fault == "timeout":
                    delay = self._timeout_seconds()
                elif fault == "malformed":
                    # Cut the body mid-document: valid UTF-8 up to the cut, never valid JSON.
                    response.body = response.body[: max(1, len(response.body) // 2)]
        except Exception:  # a sandbox bug must show up as a loud 500, not a hung client
            traceback.print_exc(file=sys.stderr)
            response = json_response(500, {"error": "sandbox internal error; see the server's stderr"})
        self.log.append(request.method, request.target, response.status)
        return response, delay

    def wait(self, seconds: float) -> None:
        self._stopping.wait(seconds)

    def _admin(self, request: ApiRequest) -> ApiResponse:
        route = (request.method, request.path.rstrip("/"))
        try:
            payload = json.loads(request.body or b"{}") if request.method == "POST" else {}
            if route == ("POST", "/_sandbox/faults"):
                self.faults.push(str(payload["fault"]), int(payload.get("times", 1)))
            elif route == ("POST", "/_sandbox/as_of"):
                self.clock.set(parse_as_of(str(payload["as_of"])))
            elif route != ("GET", "/_sandbox/state"):
                return json_response(404, {"error": f"no admin endpoint {request.method} {request.path}"})
        except (ValueError, KeyError, TypeError) as exc:
            return json_response(400, {"error": f"bad admin request: {exc}"})
        return json_response(
            200,
            {"server": self.name, "as_of": self.clock.now().isoformat(), "pending_faults": self.faults.pending()},
        )


class _Handler(BaseHTTPRequestHandler):
    server_version = "PlatformSandbox/1.0"

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _serve(self) -> None:
        server = self.server
        assert isinstance(server, ThreadingHTTPServer)
        platform: PlatformServer = server.platform  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        request = ApiRequest(
            method=self.command,
            target=self.path,
            path=split.path,
            params=parse_qsl(split.query, keep_blank_values=True),
            headers={key.lower(): value for key, value in self.headers.items()},
            body=body,
            base_url=platform.url,
        )
        response, delay = platform.serve(request)
        if delay:
            platform.wait(delay)
        try:
            self.send_response(response.status)
            for key, value in response.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout fault does exactly this)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the request log is the record; stderr noise would drown test output

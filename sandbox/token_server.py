"""A reusable OAuth token endpoint for sandbox platform servers.

Google Ads, Ocean Engine, Douyin and Xiaohongshu all refresh access tokens with a refresh-token grant,
but differ in what matters to an extractor: token lifetimes, whether a refresh rotates the refresh token
(Ocean Engine kills the used one), field names, and how errors look (RFC 6749 ``invalid_grant`` with a
400, or ``{"code": 40107}`` in an HTTP 200). ``TokenAuthority`` is that endpoint with all of those as
``TokenPolicy`` settings, plus what tests need: a count of refresh calls, expiring access tokens on
demand, and a check a platform server runs on the token of each API request.

A ``PlatformServer`` subclass holds one and consults it first in ``handle``::

    def handle(self, request, as_of, data_fault):
        if (answer := self.tokens.handle(request)) is not None:
            return answer
        if self.tokens.check(request.header("Access-Token")) is not TokenCheck.VALID:
            return json_response(200, {"code": 40102, "message": "access token expired"})
        ...
"""

from __future__ import annotations

import copy
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from urllib.parse import parse_qsl

from sandbox.http_base import ApiRequest, ApiResponse, json_response

ErrorResponder = Callable[[str, str], ApiResponse]


def oauth2_error(kind: str, message: str) -> ApiResponse:
    """RFC 6749 section 5.2: HTTP 400 (401 for a bad client) with ``error`` and ``error_description``."""
    status = 401 if kind == "invalid_client" else 400
    return json_response(status, {"error": kind, "error_description": message})


def body_code_errors(
    codes: Mapping[str, int], *, code_field: str = "code", message_field: str = "message", status: int = 200
) -> ErrorResponder:
    """Errors as a code inside an HTTP 200, the Chinese open-platform way (``{"code": 40107, ...}``).

    ``codes`` maps the error kinds (``invalid_grant``, ``invalid_client``, ``invalid_request``) to the
    platform's numbers; an unlisted kind gets the ``invalid_request`` number.
    """

    def respond(kind: str, message: str) -> ApiResponse:
        code = codes.get(kind, codes.get("invalid_request", 40001))
        return json_response(
            status, {code_field: code, message_field: message, "request_id": secrets.token_hex(8), "data": {}}
        )

    return respond


@dataclass(frozen=True)
class TokenPolicy:
    """How one platform's token endpoint behaves. Lifetimes are in seconds; None means "does not expire"."""

    path: str = "/oauth2/token"
    access_ttl: float = 3600.0
    refresh_ttl: float | None = None
    rotate_refresh: bool = False  # a refresh issues a new refresh token and kills the used one
    return_refresh_token: bool = True  # Google leaves it out of a refresh answer when it does not rotate
    invalidate_previous_access: bool = False  # WeChat: a new token ends the previous one
    # Request field names; None for a field the platform does not send.
    client_id_field: str = "client_id"
    client_secret_field: str | None = "client_secret"
    refresh_token_field: str = "refresh_token"
    grant_type_field: str | None = "grant_type"
    grant_type: str = "refresh_token"
    # Answer shape: the token fields go at ``response_path`` (``("data",)``), beside ``response_extra``.
    response_path: tuple[str, ...] = ()
    response_extra: Mapping[str, Any] = field(default_factory=dict)
    access_token_name: str = "access_token"
    refresh_token_name: str = "refresh_token"
    expires_in_name: str = "expires_in"
    refresh_expires_in_name: str | None = "refresh_token_expires_in"
    # Seconds each token call takes: widens the window in which concurrent refreshes overlap, for tests.
    delay: float = 0.0
    error: ErrorResponder = oauth2_error


class TokenCheck(Enum):
    VALID = "valid"
    EXPIRED = "expired"
    UNKNOWN = "unknown"  # never issued, or revoked: the platform's "invalid token"


@dataclass
class _Refresh:
    expires_at: float | None
    alive: bool = True


class TokenAuthority:
    """Issues, checks, refreshes and expires tokens for one sandbox app (one client id and secret).

    Thread-safe: the HTTP server answers each request on its own thread, and the point of some tests
    is two refreshes arriving at once.
    """

    def __init__(
        self,
        policy: TokenPolicy | None = None,
        *,
        client_id: str = "sandbox-client",
        client_secret: str = "sandbox-client-secret",
        now: Callable[[], float] = time.time,
        prefix: str = "sbx",
    ) -> None:
        self.policy = policy or TokenPolicy()
        self.client_id = client_id
        self._client_secret = client_secret
        self._now = now
        self._prefix = prefix
        self._lock = threading.Lock()
        self._access: dict[str, float | None] = {}  # token -> expires_at
        self._refresh: dict[str, _Refresh] = {}
        self.refresh_calls = 0  # every request to the token endpoint
        self.refreshes_granted = 0

    def __repr__(self) -> str:
        return f"TokenAuthority(path={self.policy.path!r}, client_id={self.client_id!r})"

    # -- what tests and platform servers call ----------------------------------------------------------

    def issue(self) -> dict[str, Any]:
        """A fresh token pair, as the initial authorization would hand it over (no endpoint call counted)."""
        with self._lock:
            return self._grant(refresh_token=None)

    def check(self, access_token: str | None) -> TokenCheck:
        """Whether an API request's token is valid now, expired, or unknown to this app."""
        if not access_token:
            return TokenCheck.UNKNOWN
        with self._lock:
            if access_token not in self._access:
                return TokenCheck.UNKNOWN
            expires_at = self._access[access_token]
        if expires_at is not None and expires_at <= self._now():
            return TokenCheck.EXPIRED
        return TokenCheck.VALID

    def expire_access_tokens(self, tokens: Iterable[str] | None = None) -> int:
        """Make ``tokens`` (default: every access token issued so far) expired now; how many were valid."""
        now = self._now()
        with self._lock:
            chosen = self._access if tokens is None else {t: self._access[t] for t in tokens if t in self._access}
            live = [t for t, at in chosen.items() if at is None or at > now]
            for token in live:
                self._access[token] = now - 1.0
        return len(live)

    def revoke_refresh_tokens(self) -> None:
        """Kill every refresh token (the user withdrew consent): only a re-authorization helps."""
        with self._lock:
            for entry in self._refresh.values():
                entry.alive = False

    def refresh_token_alive(self, refresh_token: str) -> bool:
        with self._lock:
            entry = self._refresh.get(refresh_token)
        if entry is None or not entry.alive:
            return False
        return entry.expires_at is None or entry.expires_at > self._now()

    # -- the endpoint ----------------------------------------------------------------------------------

    def handle(self, request: ApiRequest) -> ApiResponse | None:
        """The answer if ``request`` is for the token endpoint, else None (the platform answers it)."""
        if request.path.rstrip("/") != self.policy.path.rstrip("/"):
            return None
        if self.policy.delay:
            time.sleep(self.policy.delay)
        with self._lock:
            self.refresh_calls += 1
        fields = _request_fields(request)
        policy = self.policy
        if policy.grant_type_field is not None and fields.get(policy.grant_type_field) != policy.grant_type:
            return policy.error("invalid_request", f"{policy.grant_type_field} must be {policy.grant_type}")
        if fields.get(policy.client_id_field) != self.client_id:
            return policy.error("invalid_client", "unknown client")
        if policy.client_secret_field is not None and fields.get(policy.client_secret_field) != self._client_secret:
            return policy.error("invalid_client", "client authentication failed")
        presented = fields.get(policy.refresh_token_field)
        if not presented:
            return policy.error("invalid_request", f"{policy.refresh_token_field} is required")
        with self._lock:
            # Checked and rotated under one lock: of two calls with one refresh token, exactly one wins.
            entry = self._refresh.get(presented)
            now = self._now()
            if entry is None or not entry.alive or (entry.expires_at is not None and entry.expires_at <= now):
                return policy.error("invalid_grant", "refresh token is invalid, expired or already used")
            grant = self._grant(refresh_token=presented)
            self.refreshes_granted += 1
        return json_response(200, self._answer(grant))

    # -- internals -------------------------------------------------------------------------------------

    def _new(self, kind: str) -> str:
        return f"{self._prefix}-{kind}-{secrets.token_urlsafe(18)}"

    def _grant(self, refresh_token: str | None) -> dict[str, Any]:
        """A new access token, and a new refresh token when rotating or on first issue; holds the lock."""
        policy = self.policy
        now = self._now()
        if policy.invalidate_previous_access:
            for token in self._access:
                self._access[token] = min(self._access[token] or now, now - 1.0)
        access = self._new("at")
        access_expires = now + policy.access_ttl if policy.access_ttl else None
        self._access[access] = access_expires
        rotated = refresh_token is None or policy.rotate_refresh
        if rotated:
            if refresh_token is not None:
                self._refresh[refresh_token].alive = False
            refresh_token = self._new("rt")
            self._refresh[refresh_token] = _Refresh(now + policy.refresh_ttl if policy.refresh_ttl else None)
        assert refresh_token is not None
        return {
            "access_token": access,
            "refresh_token": refresh_token,
            "expires_at": access_expires,
            "refresh_expires_at": self._refresh[refresh_token].expires_at,
            "rotated": rotated,
        }

    def _answer(self, grant: dict[str, Any]) -> dict[str, Any]:
        policy = self.policy
        now = self._now()
        tokens: dict[str, Any] = {
            policy.access_token_name: grant["access_token"],
            policy.expires_in_name: int(policy.access_ttl),
        }
        if policy.return_refresh_token or grant["rotated"]:
            tokens[policy.refresh_token_name] = grant["refresh_token"]
            if policy.refresh_expires_in_name and grant["refresh_expires_at"] is not None:
                tokens[policy.refresh_expires_in_name] = int(grant["refresh_expires_at"] - now)
        # A deep copy: the policy is shared by every answer, and the nested dict at response_path is filled below.
        answer: dict[str, Any] = copy.deepcopy(dict(policy.response_extra))
        target = answer
        for key in policy.response_path:
            target = target.setdefault(key, {})
        target.update(tokens)
        return answer


def _request_fields(request: ApiRequest) -> dict[str, str]:
    """Query parameters, then a form or JSON body, as one field map (platforms use all three)."""
    fields = {key: value for key, value in request.params}
    content_type = (request.header("Content-Type") or "").lower()
    if not request.body:
        return fields
    if "json" in content_type:
        try:
            payload = json.loads(request.body)
        except ValueError:
            return fields
        if isinstance(payload, dict):
            fields.update({str(k): str(v) for k, v in payload.items() if v is not None})
        return fields
    fields.update(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    return fields

"""Auth strategies: how a connection proves who it is, applied by ``HttpClient`` before every attempt.

One small interface (``extractors.http.Auth``): ``apply(call, http)`` adds credentials to a prepared
request, ``refresh(failed, http)`` gets a new access token after the platform said the old one expired,
``secrets()`` lists what the client must mask. A source picks and configures one:

- ``StaticToken``: a long-lived token in a header (``Bearer {token}``, ``Access-Token``) or a query
  parameter (TikTok's ``Access-Token``, a Graph API bearer token, a shop's admin token).
- ``OAuthRefresh``: the OAuth refresh-token grant against a ``TokenEndpoint`` (Google, Ocean Engine,
  Douyin, Xiaohongshu); with a shared ``TokenStore`` it survives rotating refresh tokens and concurrent
  tasks.
- ``SignedRequest``: app key, timestamp and an MD5/HMAC signature over the sorted parameters, as
  marketplace open platforms want (Taobao TOP, Douyin Shop).
- ``Chain``: several of these on one request (a signed request that also carries a session token).

No secret appears in a ``repr``, a log line or an error message: tokens are kept out of reprs and every
token a strategy has held is reported through ``secrets()`` for the client's redaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from enum import Enum
from typing import Any

from extractors.error_table import Action, ErrorTable
from extractors.errors import AuthError, CredentialsUnavailable, MalformedResponse, TokenRefreshFailed
from extractors.http import Auth, HttpClient, PathSpec, PreparedCall, dig, json_path, path_text
from extractors.token_store import MemoryTokenStore, TokenSet, TokenStore

# -- where a token goes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where an access token is put on a request: a header (with a template) or a query parameter."""

    kind: str  # "header" or "query"
    name: str
    template: str = "{token}"

    def __post_init__(self) -> None:
        if self.kind not in ("header", "query"):
            raise ValueError(f"placement kind must be 'header' or 'query', got {self.kind!r}")
        if "{token}" not in self.template:
            raise ValueError("placement template must contain '{token}'")

    @classmethod
    def bearer(cls) -> Placement:
        return cls("header", "Authorization", "Bearer {token}")

    @classmethod
    def header(cls, name: str, template: str = "{token}") -> Placement:
        return cls("header", name, template)

    @classmethod
    def query(cls, name: str) -> Placement:
        return cls("query", name)

    def put(self, call: PreparedCall, token: str) -> None:
        value = self.template.format(token=token)
        if self.kind == "header":
            call.headers[self.name] = value
        else:
            call.params[self.name] = value
        call.credential = token


class StaticToken:
    """A token that does not expire by itself (TikTok, long-lived Graph API tokens); it cannot be refreshed."""

    def __init__(self, token: str, placement: Placement | None = None) -> None:
        if not token:
            raise ValueError("StaticToken needs a non-empty token")
        self._token = token
        self.placement = placement or Placement.bearer()

    @classmethod
    def bearer(cls, token: str) -> StaticToken:
        return cls(token, Placement.bearer())

    @classmethod
    def header(cls, name: str, token: str, template: str = "{token}") -> StaticToken:
        return cls(token, Placement.header(name, template))

    @classmethod
    def query(cls, name: str, token: str) -> StaticToken:
        return cls(token, Placement.query(name))

    def __repr__(self) -> str:
        return f"StaticToken({self.placement.kind} {self.placement.name!r})"

    def apply(self, call: PreparedCall, http: HttpClient) -> None:
        self.placement.put(call, self._token)

    def refresh(self, failed: PreparedCall, http: HttpClient) -> bool:
        return False  # nothing to refresh with: the connection needs a new token

    def secrets(self) -> Iterable[str]:
        return (self._token,)


# -- OAuth token endpoints -----------------------------------------------------------------------------

# RFC 6749 section 5.2 errors. ``invalid_grant`` is the dead refresh token: a human must re-authorize.
OAUTH2_TOKEN_ERRORS = ErrorTable(
    code_path="error",
    codes={
        "invalid_grant": Action.AUTH,
        "invalid_client": Action.AUTH,
        "unauthorized_client": Action.AUTH,
        "temporarily_unavailable": Action.RETRY,
    },
    message_paths=("error_description",),
    status={400: Action.FAIL, 401: Action.AUTH},
)


@dataclass(frozen=True)
class TokenRequestFields:
    """The names a token endpoint gives its request fields (``app_id``/``secret`` on Ocean Engine)."""

    client_id: str = "client_id"
    client_secret: str = "client_secret"
    refresh_token: str = "refresh_token"
    grant_type: str = "grant_type"


@dataclass(frozen=True)
class TokenResponseFields:
    """Where a token endpoint's answer keeps the tokens: ``path`` to the object, then field names."""

    path: PathSpec = ()
    access_token: str = "access_token"
    refresh_token: str = "refresh_token"
    expires_in: str = "expires_in"
    refresh_expires_in: str = "refresh_token_expires_in"


@dataclass(frozen=True)
class TokenEndpoint:
    """One platform's token endpoint, declared: URL, body style, field names, error table.

    ``grant_type="refresh_token"`` (the default) sends the stored refresh token; for a grant without
    one (WeChat's ``client_credential``) set ``uses_refresh_token=False``. ``body`` is ``"form"``,
    ``"json"`` or ``"query"``. ``client_secret=None`` sends no secret (Douyin's refresh takes none).
    A refresh token in the answer replaces the stored one (rotation); an answer without one keeps it.
    """

    url: str
    client_id: str
    client_secret: str | None = field(default=None, repr=False)
    grant_type: str | None = "refresh_token"
    uses_refresh_token: bool = True
    method: str = "POST"
    body: str = "form"
    request_fields: TokenRequestFields = field(default_factory=TokenRequestFields)
    response_fields: TokenResponseFields = field(default_factory=TokenResponseFields)
    extra: Mapping[str, Any] = field(default_factory=dict)
    errors: ErrorTable = OAUTH2_TOKEN_ERRORS

    def __post_init__(self) -> None:
        if self.body not in ("form", "json", "query"):
            raise ValueError(f"token endpoint body must be 'form', 'json' or 'query', got {self.body!r}")

    def fetch(self, http: HttpClient, current: TokenSet | None, now: float) -> TokenSet:
        """Ask for a new access token (and maybe a new refresh token); ``current`` supplies the refresh token."""
        names = self.request_fields
        fields: dict[str, Any] = {}
        if self.grant_type is not None:
            fields[names.grant_type] = self.grant_type
        fields[names.client_id] = self.client_id
        if self.client_secret is not None:
            fields[names.client_secret] = self.client_secret
        if self.uses_refresh_token:
            if current is None or not current.refresh_token:
                raise CredentialsUnavailable("no refresh token is stored for this connection")
            if current.refresh_expires_at is not None and current.refresh_expires_at <= now:
                ended = datetime.fromtimestamp(current.refresh_expires_at, UTC).isoformat(timespec="seconds")
                raise CredentialsUnavailable(f"the refresh token expired at {ended}")
            fields[names.refresh_token] = current.refresh_token
        fields.update(self.extra)

        body_args: dict[str, Any] = {"form": {"data": fields}, "json": {"json": fields}, "query": {"params": fields}}[
            self.body
        ]
        try:
            body, response = http.request_json(
                self.method, self.url, classifier=self.errors, authenticate=False, **body_args
            )
        except TokenRefreshFailed:
            raise
        except AuthError as exc:
            raise TokenRefreshFailed(http.context, f"the token endpoint refused the refresh: {exc.detail}") from None
        return self._parse(http, body, response.url, current, now)

    def _parse(self, http: HttpClient, body: Any, url: str, current: TokenSet | None, now: float) -> TokenSet:
        names = self.response_fields
        path = json_path(names.path)
        payload = dig(body, path) if path else body
        where = path_text(path) or "the top level"
        if not isinstance(payload, Mapping):
            raise MalformedResponse(http.context, http.safe_url(url), f"no token object at {where}")
        access = payload.get(names.access_token)
        if not isinstance(access, str) or not access:
            raise MalformedResponse(http.context, http.safe_url(url), f"no {names.access_token} at {where}")
        refresh = payload.get(names.refresh_token)
        rotated = isinstance(refresh, str) and bool(refresh)
        refresh_expires_at = _expiry(payload.get(names.refresh_expires_in), now)
        if not rotated:
            refresh = current.refresh_token if current else None
            refresh_expires_at = current.refresh_expires_at if current else None
        return TokenSet(
            access_token=access,
            refresh_token=refresh if isinstance(refresh, str) else None,
            expires_at=_expiry(payload.get(names.expires_in), now),
            refresh_expires_at=refresh_expires_at,
        )


def _expiry(seconds: Any, now: float) -> float | None:
    if isinstance(seconds, bool):
        return None
    if isinstance(seconds, str) and seconds.strip().isdigit():
        seconds = int(seconds)
    if isinstance(seconds, int | float) and seconds > 0:
        return now + float(seconds)
    return None


class OAuthRefresh:
    """Access tokens from a refresh-token grant, refreshed ahead of expiry and when the platform says so.

    The token pair lives in ``store`` under ``key`` (the connection id). With the default in-memory store
    that is this client's business alone (Google: the refresh token never changes). With a shared store
    (``FileTokenStore``) every task of a connection sees the same pair, which rotating refresh tokens
    need (Ocean Engine: each refresh kills the refresh token it used). A refresh then runs under the
    store's exclusive lock and re-reads the store first: if another task already replaced the token this
    one saw fail, that token is used and the endpoint is not called, so concurrent refreshes make one
    call. ``initial`` (from the Airflow Connection) seeds an empty store; once the store holds a pair,
    the store wins, because the connection's refresh token may since have been rotated away.
    """

    def __init__(
        self,
        endpoint: TokenEndpoint,
        *,
        placement: Placement | None = None,
        store: TokenStore | None = None,
        key: str = "default",
        initial: TokenSet | None = None,
        refresh_token: str | None = None,
        skew_seconds: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if initial is None and refresh_token:
            initial = TokenSet(refresh_token=refresh_token)
        self.endpoint = endpoint
        self.placement = placement or Placement.bearer()
        self.store = store or MemoryTokenStore()
        self.key = key
        self._initial = initial
        self._skew = skew_seconds
        # Wall-clock time is right here: it decides when a token expires, never what data to fetch.
        self._clock = clock
        self._guard = threading.Lock()
        self._tokens: TokenSet | None = None
        self._seen: set[str] = set()
        self.refreshes = 0  # token endpoint calls this object made, for logs and tests
        self._remember(initial)

    def __repr__(self) -> str:
        return f"OAuthRefresh(url={self.endpoint.url!r}, client_id={self.endpoint.client_id!r}, key={self.key!r})"

    def apply(self, call: PreparedCall, http: HttpClient) -> None:
        tokens = self._usable(http)
        assert tokens.access_token  # _usable never hands back a pair without one
        self.placement.put(call, tokens.access_token)

    def refresh(self, failed: PreparedCall, http: HttpClient) -> bool:
        self._refresh(http, stale=failed.credential)
        return True

    def secrets(self) -> Iterable[str]:
        with self._guard:
            found = set(self._seen)
        if self.endpoint.client_secret:
            found.add(self.endpoint.client_secret)
        return found

    @property
    def current(self) -> TokenSet | None:
        """The pair this object uses now (tokens hidden from its repr)."""
        with self._guard:
            return self._tokens

    def _usable(self, http: HttpClient) -> TokenSet:
        with self._guard:
            tokens = self._tokens
        if tokens is None:
            tokens = self.store.load(self.key) or self._initial
            self._adopt(tokens)
        if tokens is None or tokens.expires_within(self._skew, self._clock()):
            tokens = self._refresh(http, stale=tokens.access_token if tokens else None)
        return tokens

    def _refresh(self, http: HttpClient, stale: str | None) -> TokenSet:
        with self.store.locked(self.key):
            stored = self.store.load(self.key) or self._initial
            self._remember(stored)
            now = self._clock()
            if (
                stored is not None
                and stored.access_token
                and stored.access_token != stale
                and not stored.expires_within(self._skew, now)
            ):
                # Another task (or thread) refreshed while we waited for the lock: use its token.
                self._adopt(stored)
                return stored
            fresh = self.endpoint.fetch(http, stored, now)
            self._remember(fresh)
            with self._guard:
                self.refreshes += 1
            self.store.save(self.key, fresh)
        self._adopt(fresh)
        return fresh

    def _adopt(self, tokens: TokenSet | None) -> None:
        self._remember(tokens)
        with self._guard:
            self._tokens = tokens

    def _remember(self, tokens: TokenSet | None) -> None:
        # Old tokens stay masked too: a platform may echo the expired token in its error text.
        if tokens is None:
            return
        with self._guard:
            self._seen.update(t for t in (tokens.access_token, tokens.refresh_token) if t)


# -- signed requests -----------------------------------------------------------------------------------


class SignMethod(Enum):
    MD5 = "md5"  # hex(md5(secret + text + secret))
    HMAC_MD5 = "hmac-md5"  # hex(hmac_md5(secret, text))
    HMAC_SHA256 = "hmac-sha256"  # hex(hmac_sha256(secret, text))


GMT8 = timezone(timedelta(hours=8))


def gmt8_timestamp(moment: datetime) -> str:
    """``yyyy-MM-dd HH:mm:ss`` in GMT+8, the timestamp Taobao TOP and Douyin Shop expect."""
    return moment.astimezone(GMT8).strftime("%Y-%m-%d %H:%M:%S")


def unix_timestamp(moment: datetime) -> str:
    """Whole seconds since the epoch, for gateways that want a number."""
    return str(int(moment.timestamp()))


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: what Douyin Shop signs as ``param_json`` (and must be sent)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _param_text(value: Any) -> str:
    # Signed and sent as the same text; requests would send True as "True", most gateways want "true".
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return canonical_json(value)
    return str(value)


_DEFAULT_SIGN_METHOD_NAMES = {SignMethod.MD5: "md5", SignMethod.HMAC_MD5: "hmac", SignMethod.HMAC_SHA256: "hmac-sha256"}


@dataclass(frozen=True)
class SignedRequest:
    """App key, timestamp, sign method and signature added to every attempt, as open platforms want.

    The text signed is every parameter (query and form; ``body_param`` adds the JSON body under that
    name, canonicalized and sent byte for byte as signed) except ``sign``, sorted by name and written as
    ``name + value`` pairs. ``signed_params`` narrows that to a fixed set (Douyin Shop signs
    ``app_key, method, param_json, timestamp, v`` and not its ``access_token``). MD5 wraps the text in
    the secret; the HMACs key on the secret, and ``wrap_hmac`` also wraps the text (Douyin Shop).
    The timestamp comes from ``clock`` so tests can pin it; a fresh one is signed for every attempt.
    """

    app_key: str
    secret: str = field(repr=False)
    method: SignMethod = SignMethod.MD5
    clock: Callable[[], datetime] = _utc_now
    timestamp_format: Callable[[datetime], str] = gmt8_timestamp
    app_key_param: str = "app_key"
    timestamp_param: str = "timestamp"
    sign_method_param: str | None = "sign_method"
    sign_param: str = "sign"
    sign_method_names: Mapping[SignMethod, str] = field(default_factory=lambda: dict(_DEFAULT_SIGN_METHOD_NAMES))
    extra_params: Mapping[str, Any] = field(default_factory=dict)
    signed_params: frozenset[str] | None = None
    body_param: str | None = None
    wrap_hmac: bool = False
    uppercase: bool = True

    def apply(self, call: PreparedCall, http: HttpClient) -> None:
        system: dict[str, Any] = {
            self.app_key_param: self.app_key,
            self.timestamp_param: self.timestamp_format(self.clock()),
            **self.extra_params,
        }
        if self.sign_method_param:
            system[self.sign_method_param] = self.sign_method_names[self.method]
        call.params = {k: _param_text(v) for k, v in {**call.params, **system}.items() if v is not None}
        signed = dict(call.params)
        if call.form is not None:
            call.form = {k: _param_text(v) for k, v in call.form.items() if v is not None}
            signed.update(call.form)
        if self.body_param is not None and call.json_body is not None:
            body = canonical_json(call.json_body)
            signed[self.body_param] = body
            call.content = body.encode("utf-8")
            call.headers["Content-Type"] = "application/json"
        signed.pop(self.sign_param, None)
        if self.signed_params is not None:
            signed = {k: v for k, v in signed.items() if k in self.signed_params}
        call.params[self.sign_param] = self.sign(signed)

    def sign(self, params: Mapping[str, str]) -> str:
        """The signature of ``params`` (already text), by this platform's recipe."""
        text = "".join(f"{name}{params[name]}" for name in sorted(params))
        secret = self.secret.encode("utf-8")
        if self.method is SignMethod.MD5:
            digest = hashlib.md5(secret + text.encode("utf-8") + secret).hexdigest()
        else:
            message = (self.secret + text + self.secret) if self.wrap_hmac else text
            algorithm = hashlib.md5 if self.method is SignMethod.HMAC_MD5 else hashlib.sha256
            digest = hmac.new(secret, message.encode("utf-8"), algorithm).hexdigest()
        return digest.upper() if self.uppercase else digest

    def refresh(self, failed: PreparedCall, http: HttpClient) -> bool:
        return False

    def secrets(self) -> Iterable[str]:
        return (self.secret,)


class Chain:
    """Several strategies on one request, applied in order (a session token first, then the signature)."""

    def __init__(self, *strategies: Auth) -> None:
        if not strategies:
            raise ValueError("Chain needs at least one strategy")
        self.strategies = strategies

    def __repr__(self) -> str:
        return f"Chain({', '.join(repr(s) for s in self.strategies)})"

    def apply(self, call: PreparedCall, http: HttpClient) -> None:
        for strategy in self.strategies:
            strategy.apply(call, http)

    def refresh(self, failed: PreparedCall, http: HttpClient) -> bool:
        return any(strategy.refresh(failed, http) for strategy in self.strategies)

    def secrets(self) -> Iterable[str]:
        return [secret for strategy in self.strategies for secret in strategy.secrets()]

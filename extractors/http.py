"""The one HTTP client every extractor uses: timeouts, bounded retries, rate limits, auth, redaction.

Platforms differ in how they say "slow down" or "your token expired" (the Graph API puts an error code in
the body of an HTTP 400, TikTok answers HTTP 200 with ``{"code": 40100}``, REST shops use 429 and 401), so
*what* a response means is decided by a pluggable classifier per platform (usually an
``extractors.error_table.ErrorTable``), and *how to authenticate* by a pluggable ``Auth`` strategy
(``extractors.auth``), while *what to do about it* (wait, retry, refresh the token, split the window, give
up with a clear error) lives here once. Retrying is delegated to tenacity rather than a hand-written loop.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import Enum
from types import TracebackType
from typing import Any, Protocol, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from extractors.errors import (
    ApiError,
    AuthError,
    CredentialsUnavailable,
    ExtractContext,
    MalformedResponse,
    RateLimitExhausted,
    RetryBudgetExhausted,
    TokenRefreshFailed,
    WindowTooLarge,
)

log = logging.getLogger(__name__)

# Query parameters that carry credentials on the platforms we talk to (the Graph API puts the token in
# ``access_token``; others use ``key``/``token`` variants). Their values never reach a log line or an
# error message, whether they appear in a URL or in free text.
SENSITIVE_QUERY_KEYS = frozenset(
    {"access_token", "token", "client_secret", "api_key", "apikey", "key", "password", "sign", "session"}
)
REDACTED = "REDACTED"
# ``<key>=<value>`` in free text (error bodies, exception messages), built from the same set so URL and
# free-text redaction cannot drift apart. ``\b`` keeps ``monkey=`` from matching ``key=``.
_SENSITIVE_ASSIGNMENT = re.compile(
    r"(?i)\b(" + "|".join(re.escape(key) for key in sorted(SENSITIVE_QUERY_KEYS)) + r")=[^&\s\"']+"
)


@dataclass(frozen=True)
class RetrySettings:
    """How patient one extraction is with a platform.

    The defaults suit production: six attempts with exponential backoff from 2 s (about a minute of
    backoff in total, longer when the platform advertises a wait) ride out a short outage, and a task
    retry in Airflow covers longer ones. Tests pass tiny waits and timeouts to stay fast.
    """

    max_attempts: int = 6
    base_wait: float = 2.0
    max_wait: float = 120.0
    connect_timeout: float = 10.0
    read_timeout: float = 120.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")
        if self.base_wait < 0 or self.max_wait < 0:
            raise ValueError("waits must be >= 0")


class Outcome(Enum):
    """What a response means, independent of how the platform encoded it."""

    OK = "ok"
    TRANSIENT = "transient"
    RATE_LIMITED = "rate limited"
    AUTH = "auth"
    FATAL = "fatal"
    # The access token expired: refresh it through the client's auth strategy, then try once more.
    REFRESH = "refresh"
    # The platform refuses the date range as too large: the caller must ask for smaller windows.
    TOO_LARGE = "too large"


@dataclass(frozen=True)
class Verdict:
    """A classifier's reading of one response.

    ``wait_seconds`` is the platform's advertised wait (Retry-After and the like); it becomes the
    minimum wait before the next attempt.
    """

    outcome: Outcome
    detail: str = ""
    wait_seconds: float | None = None


OK = Verdict(Outcome.OK)

Classifier = Callable[[requests.Response], Verdict]


def retry_after_seconds(response: requests.Response) -> float | None:
    """The ``Retry-After`` header in seconds; it may be a number or an HTTP date (RFC 9110)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    # Wall-clock time is fine here: it decides how long to sleep, never what data to fetch.
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def body_snippet(response: requests.Response, limit: int = 300) -> str:
    """The start of a non-2xx error body, for an error message; callers redact it.

    Never used on a 2xx body: that is the extracted data itself and may hold customer PII.
    """
    text = response.text or ""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


def _parse_error_summary(exc: ValueError) -> str:
    """Why and where a body failed to parse, without quoting any of the body."""
    # requests raises its own JSONDecodeError (a json.JSONDecodeError, or simplejson's when installed).
    if isinstance(exc, (json.JSONDecodeError, requests.exceptions.JSONDecodeError)):
        # ``msg`` is the parser's message alone ("Expecting ',' delimiter"); ``str(exc)`` is the same
        # plus the position, but build it from the parts so no future format can pull in ``doc``.
        return f"{exc.msg} at line {exc.lineno} column {exc.colno} (char {exc.pos})"
    if isinstance(exc, UnicodeDecodeError):
        return f"{exc.encoding} decoding failed: {exc.reason} at byte {exc.start}"
    return type(exc).__name__


def classify_by_status(response: requests.Response) -> Verdict:
    """The HTTP-status reading shared by every platform that uses real status codes."""
    status = response.status_code
    if 200 <= status < 300:
        return OK
    detail = f"HTTP {status}: {body_snippet(response)}"
    if status == 429:
        return Verdict(Outcome.RATE_LIMITED, detail, retry_after_seconds(response))
    if status >= 500 or status == 408:
        return Verdict(Outcome.TRANSIENT, detail, retry_after_seconds(response))
    if status in (401, 403):
        return Verdict(Outcome.AUTH, detail)
    return Verdict(Outcome.FATAL, detail)


def redact_url(url: str) -> str:
    """The URL with credential query parameters and user-info masked, safe for logs and errors."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = urlencode(
        [
            (key, REDACTED if key.lower() in SENSITIVE_QUERY_KEYS else value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ],
        safe='{}:,"',
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class _RetryableFailure(Exception):
    """Raised inside one attempt to tell tenacity to try again; never escapes the client."""

    def __init__(self, outcome: Outcome, detail: str, wait_seconds: float | None = None) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail
        self.wait_seconds = wait_seconds


class _BackoffAtLeastAdvertised:
    """Exponential backoff with jitter, never shorter than the platform's advertised wait.

    Jitter keeps parallel extract tasks (one per account) from retrying in lock-step; ``max_wait``
    caps both, so a platform asking for an hour turns into a failed task that Airflow retries later
    instead of a worker slot held for an hour.
    """

    def __init__(self, settings: RetrySettings) -> None:
        # Composed from the two oldest strategies so any tenacity >= 8.2 (the declared floor) works.
        self._backoff = wait_exponential(multiplier=settings.base_wait, max=settings.max_wait) + wait_random(
            0, settings.base_wait
        )
        self._max_wait = settings.max_wait

    def __call__(self, retry_state: RetryCallState) -> float:
        backoff = self._backoff(retry_state)
        advertised = 0.0
        if retry_state.outcome is not None:
            failure = retry_state.outcome.exception()
            if isinstance(failure, _RetryableFailure) and failure.wait_seconds:
                advertised = failure.wait_seconds
        return min(self._max_wait, max(advertised, backoff))


# -- paths into JSON bodies ------------------------------------------------------------------------

JsonPath = tuple[str, ...]
PathSpec = str | Sequence[str]
_PATH_TOKEN = re.compile(r"[^.\[\]]+|\[[^\]]*\]")


def json_path(spec: PathSpec) -> JsonPath:
    """A path into a JSON body from ``"data.list"``, ``"results[*].detail_list"`` or ``("data", "list")``.

    ``*`` walks every element of a list (and flattens), a number indexes one; ``""`` is the whole body.
    Written as data so sources declare where things are instead of writing code to dig them out.
    """
    if not isinstance(spec, str):
        return tuple(str(part) for part in spec)
    parts: list[str] = []
    for token in _PATH_TOKEN.findall(spec):
        parts.append(token[1:-1].strip() if token.startswith("[") else token)
    return tuple(parts)


def path_text(path: PathSpec) -> str:
    """A path as a source would write it, for messages: ``results[*].detail_list``, ``[*].results``."""
    text = ""
    for part in json_path(path):
        if part == "*" or part.lstrip("-").isdigit():
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def dig_all(value: Any, path: PathSpec) -> list[Any]:
    """Every value at ``path`` (several when it holds ``*``); missing keys and nulls are skipped."""
    current = [value]
    for part in json_path(path):
        found: list[Any] = []
        for item in current:
            if part == "*":
                if isinstance(item, list):
                    found.extend(item)
            elif isinstance(item, Mapping):
                if part in item:
                    found.append(item[part])
            elif isinstance(item, list) and re.fullmatch(r"-?\d+", part):
                index = int(part)
                if -len(item) <= index < len(item):
                    found.append(item[index])
        current = [item for item in found if item is not None]
    return current


def dig(value: Any, path: PathSpec) -> Any:
    """The first value at ``path``, or None."""
    found = dig_all(value, path)
    return found[0] if found else None


_PARSED_JSON_ATTR = "_mw_parsed_json"


def parse_json(response: requests.Response) -> tuple[Any, str | None]:
    """The response body as JSON and ``None``, or ``None`` and why it did not parse (quoting none of it).

    Parsed once per response and kept on it: the error table reads a 2xx body to look for an error code
    and ``request_json`` then returns the same body, and a page can be megabytes.
    """
    cached = response.__dict__.get(_PARSED_JSON_ATTR)
    if cached is None:
        try:
            cached = (response.json(), None)
        except ValueError as exc:
            # Only the summary is kept: a decode error holds the whole body in ``.doc``.
            cached = (None, _parse_error_summary(exc))
        response.__dict__[_PARSED_JSON_ATTR] = cached
    return cast(tuple[Any, str | None], cached)


def query_json(value: Any) -> str:
    """A list or object as the APIs that take JSON in a query string want it: compact, UTF-8 kept."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def compact_json(value: Any) -> bytes:
    """The JSON bytes sent for a ``json=`` body: compact and UTF-8, so a signature over them is stable."""
    return query_json(value).encode("utf-8")


@dataclass
class PreparedCall:
    """One attempt's request before it is sent; auth strategies add their credentials to it.

    Built afresh from the caller's arguments for every attempt, so a strategy that signs with a
    timestamp or swaps in a refreshed token never sees the previous attempt's additions.
    ``credential`` is the access token the strategy used, so a later "token expired" can be matched
    to the exact token that failed (another task may have replaced it meanwhile).
    """

    method: str
    url: str
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    json_body: Any = None
    form: dict[str, Any] | None = None
    # Exact body bytes; wins over ``json_body`` and ``form`` (a signer that signs the body sets it).
    content: bytes | None = field(default=None, repr=False)
    credential: str | None = field(default=None, repr=False)


class Auth(Protocol):
    """How one connection authenticates; implementations live in ``extractors.auth``."""

    def apply(self, call: PreparedCall, http: HttpClient) -> None:
        """Add credentials to ``call``; called before every attempt (a refreshed token is picked up)."""

    def refresh(self, failed: PreparedCall, http: HttpClient) -> bool:
        """Get a new access token after ``failed`` was answered "token expired"; False if impossible."""

    def secrets(self) -> Iterable[str]:
        """Every secret value this strategy holds now, so the client can mask them in messages."""


class _RefreshNeeded(Exception):
    """Raised inside one attempt when the platform says the token expired; never escapes the client."""

    def __init__(self, call: PreparedCall, detail: str) -> None:
        super().__init__(detail)
        self.call = call
        self.detail = detail


class HttpClient:
    """A ``requests.Session`` wrapped with the retry policy and error vocabulary of one extraction.

    It is bound to one extraction's context so that every error it raises names the partition, and to
    the secrets of that extraction so none of them can leak into a log line or an error message.
    ``classifier`` reads each response (``classify_by_status`` or a source's ``ErrorTable``); ``auth``
    adds credentials to every attempt and refreshes them when the classifier says they expired.
    """

    def __init__(
        self,
        context: ExtractContext,
        *,
        retry: RetrySettings | None = None,
        classifier: Classifier = classify_by_status,
        headers: Mapping[str, str] | None = None,
        secrets: Iterable[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        auth: Auth | None = None,
    ) -> None:
        self.context = context
        self.retry = retry or RetrySettings()
        self.auth = auth
        self._classifier = classifier
        self._secrets = tuple(s for s in secrets if s)
        self._sleep = sleep
        self._session = requests.Session()
        self._session.headers.update({"Accept": "application/json", "User-Agent": "marketing-warehouse"})
        if headers:
            self._session.headers.update(headers)
        self.requests_made = 0

    # -- redaction -------------------------------------------------------------------------------

    def redact(self, text: str) -> str:
        """Mask every known secret and every credential query parameter in free text."""
        secrets = list(self._secrets)
        if self.auth is not None:
            # Asked each time: a refresh brings new tokens, and the old ones must stay masked too.
            secrets.extend(s for s in self.auth.secrets() if s)
        # Longest first, so a secret that contains another is masked whole.
        for secret in sorted(set(secrets), key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return _SENSITIVE_ASSIGNMENT.sub(rf"\1={REDACTED}", text)

    def safe_url(self, url: str) -> str:
        """A URL fit for a log line or an error message: no credentials in it."""
        return self.redact(redact_url(url))

    # -- requests --------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        classifier: Classifier | None = None,
        authenticate: bool = True,
    ) -> requests.Response:
        """Send with retries; returns only a response its classifier calls OK, else raises ExtractError.

        ``json`` is sent as a compact JSON body, ``data`` as a form. ``classifier`` overrides the
        client's for this call and ``authenticate=False`` skips the auth strategy: both are for the
        token endpoint, whose errors look different and which must not be sent the expired token.
        A "token expired" answer refreshes the token once and tries again; a second one is an AuthError.
        """
        base = PreparedCall(
            method=method.upper(),
            url=url,
            params=dict(params or {}),
            headers=dict(headers or {}),
            json_body=json,
            form=dict(data) if data is not None else None,
        )
        use_auth = authenticate and self.auth is not None
        chosen = classifier or self._classifier
        try:
            try:
                return self._send(base, chosen, use_auth)
            except _RefreshNeeded as needed:
                expired = needed
            # Outside the ``except`` so the refresh's own errors are not chained to the expired answer.
            self._refresh(expired, use_auth)
            try:
                return self._send(base, chosen, use_auth)
            except _RefreshNeeded as again:
                detail = again.detail
            raise AuthError(self.context, f"{detail}; still rejected right after a token refresh")
        except CredentialsUnavailable as exc:
            raise TokenRefreshFailed(self.context, self.redact(str(exc))) from None

    def request_json(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        envelope: Sequence[str] = (),
        allow_array: bool = False,
        classifier: Classifier | None = None,
        authenticate: bool = True,
    ) -> tuple[Any, requests.Response]:
        """``request`` for a JSON object whose top level must hold the ``envelope`` keys.

        With ``allow_array`` a bare JSON array is accepted as the whole body (Google Ads searchStream
        answers one); ``envelope`` then does not apply. A 2xx with a body we cannot parse is not
        retried: it is a platform bug or a proxy mangling responses, and landing a guess would be worse
        than failing loudly. The error gives the body's length and where parsing stopped, never the body
        itself: a 2xx body is the data we extract, and a cut-off orders page starts with customer
        e-mails and phones.
        """
        response = self.request(
            method,
            url,
            params=params,
            json=json,
            data=data,
            headers=headers,
            classifier=classifier,
            authenticate=authenticate,
        )
        body, parse_error = parse_json(response)
        if parse_error is not None:
            raise MalformedResponse(
                self.context,
                self.safe_url(response.url),
                f"invalid JSON in a {len(response.content)}-byte body ({parse_error}); "
                "body not shown because it may hold customer data",
            )
        if allow_array and isinstance(body, list):
            return body, response
        if not isinstance(body, dict):
            expected = "a JSON object or array" if allow_array else "a JSON object"
            raise MalformedResponse(
                self.context, self.safe_url(response.url), f"expected {expected}, got {type(body).__name__}"
            )
        missing = [key for key in envelope if key not in body]
        if missing:
            raise MalformedResponse(
                self.context,
                self.safe_url(response.url),
                f"missing envelope key(s) {missing}; got keys {sorted(body)[:20]}",
            )
        return body, response

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> requests.Response:
        """GET with retries; returns only a response its classifier calls OK, else raises ExtractError."""
        return self.request("GET", url, params=params)

    def get_json(
        self, url: str, params: Mapping[str, Any] | None = None, *, envelope: Sequence[str] = ()
    ) -> tuple[dict[str, Any], requests.Response]:
        """GET a JSON object whose top level must hold the ``envelope`` keys (see ``request_json``)."""
        body, response = self.request_json("GET", url, params=params, envelope=envelope)
        return cast(dict[str, Any], body), response

    # -- internals -------------------------------------------------------------------------------

    def _send(self, base: PreparedCall, classifier: Classifier, use_auth: bool) -> requests.Response:
        retrying = Retrying(
            stop=stop_after_attempt(self.retry.max_attempts),
            wait=_BackoffAtLeastAdvertised(self.retry),
            retry=retry_if_exception_type(_RetryableFailure),
            before_sleep=self._log_retry,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(self._attempt, base, classifier, use_auth)
        except _RetryableFailure as failure:
            attempts = retrying.statistics.get("attempt_number", self.retry.max_attempts)
            if failure.outcome is Outcome.RATE_LIMITED:
                raise RateLimitExhausted(self.context, attempts, failure.detail) from None
            raise RetryBudgetExhausted(self.context, attempts, failure.detail) from None

    def _refresh(self, expired: _RefreshNeeded, use_auth: bool) -> None:
        if not use_auth or self.auth is None:
            raise AuthError(self.context, f"{expired.detail}; this request carries no refreshable credentials")
        if not self.auth.refresh(expired.call, self):
            raise AuthError(self.context, f"{expired.detail}; this connection's credentials cannot be refreshed")
        log.info("%s: access token refreshed after: %s", self.context.describe(), expired.detail)

    def _attempt(self, base: PreparedCall, classifier: Classifier, use_auth: bool) -> requests.Response:
        call = PreparedCall(
            method=base.method,
            url=base.url,
            params=dict(base.params),
            headers=dict(base.headers),
            json_body=base.json_body,
            form=dict(base.form) if base.form is not None else None,
        )
        if use_auth and self.auth is not None:
            self.auth.apply(call, self)
        timeout = (self.retry.connect_timeout, self.retry.read_timeout)
        body: bytes | dict[str, Any] | None = call.content
        if body is None and call.json_body is not None:
            body = compact_json(call.json_body)
            call.headers.setdefault("Content-Type", "application/json")
        elif body is None:
            body = call.form
        url = call.url
        self.requests_made += 1
        if log.isEnabledFor(logging.DEBUG):
            # Bodies are never logged: a token request's form holds the client secret and refresh token.
            log.debug("%s %s params=%s", call.method, self.safe_url(url), self._safe_params(call.params))
        try:
            response = self._session.request(
                call.method, url, params=call.params or None, data=body, headers=call.headers, timeout=timeout
            )
        except requests.Timeout as exc:
            raise _RetryableFailure(
                Outcome.TRANSIENT,
                f"timed out ({type(exc).__name__}, limits {timeout} s) on {self.safe_url(url)}",
            ) from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise _RetryableFailure(
                Outcome.TRANSIENT, f"connection failed on {self.safe_url(url)}: {self.redact(str(exc))}"
            ) from None
        except requests.RequestException as exc:
            raise ApiError(self.context, self.safe_url(url), self.redact(str(exc))) from None

        verdict = classifier(response)
        if verdict.outcome is Outcome.OK:
            return response
        detail = self.redact(verdict.detail)
        safe_url = self.safe_url(response.url)
        if verdict.outcome in (Outcome.TRANSIENT, Outcome.RATE_LIMITED):
            raise _RetryableFailure(verdict.outcome, f"{detail} on {safe_url}", verdict.wait_seconds)
        if verdict.outcome is Outcome.REFRESH:
            raise _RefreshNeeded(call, f"{detail} on {safe_url}")
        if verdict.outcome is Outcome.TOO_LARGE:
            raise WindowTooLarge(self.context, safe_url, detail)
        if verdict.outcome is Outcome.AUTH:
            raise AuthError(self.context, detail)
        raise ApiError(self.context, safe_url, detail)

    def _safe_params(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        if not params:
            return {}
        # By name for the usual credential keys, by value for a token placed under any other name.
        return {
            key: REDACTED if key.lower() in SENSITIVE_QUERY_KEYS else self.redact(str(value))
            for key, value in params.items()
        }

    def _log_retry(self, retry_state: RetryCallState) -> None:
        failure = retry_state.outcome.exception() if retry_state.outcome else None
        wait = retry_state.next_action.sleep if retry_state.next_action else 0.0
        log.warning(
            "%s: attempt %d/%d failed (%s: %s); retrying in %.2f s",
            self.context.describe(),
            retry_state.attempt_number,
            self.retry.max_attempts,
            failure.outcome.value if isinstance(failure, _RetryableFailure) else "error",
            failure,
            wait,
        )

    # -- lifecycle -------------------------------------------------------------------------------

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

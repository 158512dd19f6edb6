"""The one HTTP client every extractor uses: timeouts, bounded retries, rate limits, redaction.

Platforms differ in how they say "slow down" or "your token expired" (Meta puts an error code in the
body of an HTTP 400; Shopify uses 429 and 401), so *what* a response means is decided by a pluggable
classifier per platform, while *what to do about it* (wait, retry, give up with a clear error) lives
here once. Retrying is delegated to tenacity rather than a hand-written loop.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import Enum
from types import TracebackType
from typing import Any
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
    ExtractContext,
    MalformedResponse,
    RateLimitExhausted,
    RetryBudgetExhausted,
)

log = logging.getLogger(__name__)

# Query parameters that carry credentials on the platforms we talk to (Meta puts the token in
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


class HttpClient:
    """A ``requests.Session`` wrapped with the retry policy and error vocabulary of one extraction.

    It is bound to one extraction's context so that every error it raises names the partition, and to
    the secrets of that extraction so none of them can leak into a log line or an error message.
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
    ) -> None:
        self.context = context
        self.retry = retry or RetrySettings()
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
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _SENSITIVE_ASSIGNMENT.sub(rf"\1={REDACTED}", text)

    def safe_url(self, url: str) -> str:
        """A URL fit for a log line or an error message: no credentials in it."""
        return self.redact(redact_url(url))

    # -- requests --------------------------------------------------------------------------------

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> requests.Response:
        """GET with retries; returns only a response its classifier calls OK, else raises ExtractError."""
        retrying = Retrying(
            stop=stop_after_attempt(self.retry.max_attempts),
            wait=_BackoffAtLeastAdvertised(self.retry),
            retry=retry_if_exception_type(_RetryableFailure),
            before_sleep=self._log_retry,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(self._attempt, url, params)
        except _RetryableFailure as failure:
            attempts = retrying.statistics.get("attempt_number", self.retry.max_attempts)
            if failure.outcome is Outcome.RATE_LIMITED:
                raise RateLimitExhausted(self.context, attempts, failure.detail) from None
            raise RetryBudgetExhausted(self.context, attempts, failure.detail) from None

    def get_json(
        self, url: str, params: Mapping[str, Any] | None = None, *, envelope: Sequence[str] = ()
    ) -> tuple[dict[str, Any], requests.Response]:
        """GET a JSON object whose top level must hold the ``envelope`` keys.

        A 2xx with a body we cannot parse is not retried: it is a platform bug or a proxy mangling
        responses, and landing a guess would be worse than failing loudly. The error gives the body's
        length and where parsing stopped, never the body itself: a 2xx body is the data we extract,
        and a cut-off Shopify orders page starts with customer e-mails and phones.
        """
        response = self.get(url, params)
        parse_error: str | None = None
        try:
            body = response.json()
        except ValueError as exc:
            parse_error = _parse_error_summary(exc)
        if parse_error is not None:
            # Raised outside the ``except`` so the decode error, which holds the whole body in ``.doc``,
            # is not even kept as this exception's context.
            raise MalformedResponse(
                self.context,
                self.safe_url(response.url),
                f"invalid JSON in a {len(response.content)}-byte body ({parse_error}); "
                "body not shown because it may hold customer data",
            )
        if not isinstance(body, dict):
            raise MalformedResponse(
                self.context,
                self.safe_url(response.url),
                f"expected a JSON object, got {type(body).__name__}",
            )
        missing = [key for key in envelope if key not in body]
        if missing:
            raise MalformedResponse(
                self.context,
                self.safe_url(response.url),
                f"missing envelope key(s) {missing}; got keys {sorted(body)[:20]}",
            )
        return body, response

    def _attempt(self, url: str, params: Mapping[str, Any] | None) -> requests.Response:
        timeout = (self.retry.connect_timeout, self.retry.read_timeout)
        self.requests_made += 1
        log.debug("GET %s params=%s", self.safe_url(url), self._safe_params(params))
        try:
            response = self._session.get(url, params=params, timeout=timeout)
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

        verdict = self._classifier(response)
        if verdict.outcome is Outcome.OK:
            return response
        detail = self.redact(verdict.detail)
        safe_url = self.safe_url(response.url)
        if verdict.outcome in (Outcome.TRANSIENT, Outcome.RATE_LIMITED):
            raise _RetryableFailure(verdict.outcome, f"{detail} on {safe_url}", verdict.wait_seconds)
        if verdict.outcome is Outcome.AUTH:
            raise AuthError(self.context, detail)
        raise ApiError(self.context, safe_url, detail)

    def _safe_params(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        if not params:
            return {}
        return {key: REDACTED if key.lower() in SENSITIVE_QUERY_KEYS else value for key, value in params.items()}

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

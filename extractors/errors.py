"""Extraction errors that tell an on-call engineer what failed, where, and what to do.

Every message starts with the partition (source, stream, account, window) because an Airflow task log
or alert e-mail is often read without the task's context. ``retryable`` says whether retrying the task
later can help: an expired token will fail again on every retry until someone replaces it, so a DAG
should fail such a task fast instead of burning its retries.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.streams import Window


@dataclass(frozen=True)
class ExtractContext:
    """The partition one extraction works on, carried into every error it can raise."""

    source: str
    stream: str
    account: str
    window: Window
    conn_id: str

    def describe(self) -> str:
        return f"{self.source}/{self.stream} account={self.account} window={self.window}"


class ExtractError(Exception):
    """Base class: an extraction of one partition failed and nothing was landed for it."""

    retryable: bool = True

    def __init__(self, context: ExtractContext, what: str) -> None:
        self.context = context
        self.what = what
        super().__init__(f"{context.describe()}: {what}")


class RetryBudgetExhausted(ExtractError):
    """Transient failures (5xx, timeouts, dropped connections) outlasted the retry budget."""

    def __init__(self, context: ExtractContext, attempts: int, last_failure: str) -> None:
        self.attempts = attempts
        super().__init__(
            context,
            f"gave up after {attempts} attempts of transient failures (server errors or timeouts); "
            f"last: {last_failure}",
        )


class RateLimitExhausted(ExtractError):
    """The platform kept throttling after every retry; a later task retry usually succeeds."""

    def __init__(self, context: ExtractContext, attempts: int, last_failure: str) -> None:
        self.attempts = attempts
        super().__init__(context, f"still rate limited after {attempts} attempts; last: {last_failure}")


class AuthError(ExtractError):
    """The access token was rejected (expired, revoked or invalid). Never retried."""

    retryable = False

    def __init__(self, context: ExtractContext, detail: str) -> None:
        self.detail = detail
        super().__init__(
            context,
            f"access token rejected ({detail}); not retried: the token must be refreshed in the "
            f"Airflow Connection '{context.conn_id}' (its password field)",
        )


class MalformedResponse(ExtractError):
    """The platform answered 2xx with a body we cannot trust (bad JSON, missing envelope keys)."""

    retryable = False

    def __init__(self, context: ExtractContext, url: str, detail: str) -> None:
        # ``url`` must already be redacted: the caller owns the secrets, this class only formats.
        self.url = url
        super().__init__(context, f"malformed response from {url}: {detail}")


class ApiError(ExtractError):
    """The platform refused the request for a reason retrying cannot fix (bad parameter, permission)."""

    retryable = False

    def __init__(self, context: ExtractContext, url: str, detail: str) -> None:
        self.url = url
        super().__init__(context, f"request to {url} failed: {detail}")


class ConfigurationError(ExtractError):
    """The Airflow Connection is missing or lacks a setting the source needs."""

    retryable = False


class DayNotOver(ExtractError):
    """The window's last day has not ended on the account's clock yet; a later retry finds it complete."""

    retryable = True


class WindowTooLarge(ExtractError):
    """The platform refused the date window as too large for one request; a smaller window works.

    Not retryable as is: the same request fails again. A window-splitting reader
    (``extractors.windows.read_in_chunks``) catches it and asks again with halves of the window.
    """

    retryable = False

    def __init__(self, context: ExtractContext, url: str, detail: str) -> None:
        self.url = url
        self.detail = detail
        super().__init__(context, f"the platform refused the window as too large ({detail}) at {url}")


class TokenRefreshFailed(AuthError):
    """The access token expired and getting a new one failed (refresh token dead, revoked or missing).

    A retry cannot help: someone has to re-authorize the app and store a fresh refresh token.
    """

    def __init__(self, context: ExtractContext, detail: str) -> None:
        self.detail = detail
        ExtractError.__init__(
            self,
            context,
            f"token refresh failed ({detail}); not retried: re-authorize the app and store a new refresh token "
            f"for connection '{context.conn_id}'",
        )


class CredentialsUnavailable(Exception):
    """An auth strategy or token store cannot supply a credential (nothing stored, store unreadable).

    Raised where no partition context exists; the HTTP client re-raises it as ``TokenRefreshFailed``
    naming the partition. Its message must never carry a secret.
    """


class JobFailed(ExtractError):
    """An asynchronous report job ended in a failed state on the platform's side.

    Retryable: platforms fail report jobs for load as often as for bad requests, and a bad request
    fails the same way on every retry, so a task retry costs little and often helps.
    """

    def __init__(self, context: ExtractContext, job_id: str, status: str, detail: str = "") -> None:
        self.job_id = job_id
        self.status = status
        super().__init__(
            context, f"report job {job_id} failed with status {status!r}" + (f": {detail}" if detail else "")
        )


class JobTimedOut(ExtractError):
    """An asynchronous report job was still not done after the bounded number of polls.

    Retryable: the platform is slow, not wrong, and a later task retry may find the job queue shorter.
    """

    def __init__(self, context: ExtractContext, job_id: str, last_status: str, polls: int, waited: float) -> None:
        self.job_id = job_id
        self.last_status = last_status
        self.polls = polls
        super().__init__(
            context,
            f"report job {job_id} not done after {polls} polls over {waited:.1f} s; last status {last_status!r}",
        )

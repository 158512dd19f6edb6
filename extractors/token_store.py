"""Where OAuth tokens live between tasks, and the lock that makes a token refresh happen once.

Platforms with rotating refresh tokens (Ocean Engine: each refresh issues a new refresh token and kills
the one used) break when two tasks refresh at the same moment: the slower one presents a dead refresh
token and the connection is lost until someone re-authorizes. So the current token pair is kept in a
store shared by every task of a connection, and a refresh happens only under the store's exclusive lock,
after re-reading the store (``extractors.auth.OAuthRefresh`` does that dance).

``FileTokenStore`` is the embedded default: one JSON file per connection id (the pipeline passes
``var/tokens``), written atomically with mode 0600, locked with ``flock`` on a sibling lock file.
``TokenStore`` is the interface a production store (an Airflow Variable with a database lock, a secrets
backend) implements instead.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from extractors.errors import CredentialsUnavailable

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$")


@dataclass(frozen=True)
class TokenSet:
    """An access/refresh token pair with their expiry times (seconds since the epoch, or unknown).

    The tokens are left out of ``repr`` so a TokenSet in a log line or a traceback shows no secret.
    """

    access_token: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: float | None = None
    refresh_expires_at: float | None = None

    def expires_within(self, seconds: float, now: float) -> bool:
        """Whether the access token is missing or ends within ``seconds`` of ``now``."""
        if not self.access_token:
            return True
        return self.expires_at is not None and self.expires_at - seconds <= now

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, payload: Any) -> TokenSet:
        if not isinstance(payload, dict):
            raise ValueError(f"expected a JSON object, got {type(payload).__name__}")

        def text(name: str) -> str | None:
            value = payload.get(name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name} is not a string")
            return value

        def moment(name: str) -> float | None:
            value = payload.get(name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise ValueError(f"{name} is not a number")
            return None if value is None else float(value)

        return cls(text("access_token"), text("refresh_token"), moment("expires_at"), moment("refresh_expires_at"))


class TokenStore(ABC):
    """Shared storage for one token pair per key (a connection id), with an exclusive lock per key.

    ``locked`` must exclude every other holder of the same key: other threads and other processes (and,
    for a production store, other machines). Callers hold it only around re-read, refresh and save.
    """

    @abstractmethod
    def load(self, key: str) -> TokenSet | None:
        """The stored tokens, or None when nothing is stored for ``key``."""

    @abstractmethod
    def save(self, key: str, tokens: TokenSet) -> None:
        """Replace the stored tokens; a reader sees the old pair or the new one, never a mix."""

    @abstractmethod
    def locked(self, key: str) -> AbstractContextManager[None]:
        """An exclusive lock on ``key`` across threads and processes."""


class MemoryTokenStore(TokenStore):
    """Tokens in this process only: for platforms whose refresh token never rotates (Google), and tests."""

    def __init__(self) -> None:
        self._tokens: dict[str, TokenSet] = {}
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def __repr__(self) -> str:
        return f"MemoryTokenStore(keys={sorted(self._tokens)})"

    def load(self, key: str) -> TokenSet | None:
        with self._guard:
            return self._tokens.get(key)

    def save(self, key: str, tokens: TokenSet) -> None:
        with self._guard:
            self._tokens[key] = tokens

    @contextmanager
    def locked(self, key: str) -> Iterator[None]:
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            yield


# One in-process lock per lock file, shared by every FileTokenStore of the process. ``flock`` already
# excludes two open() calls of one file in one process, but on some file systems (NFS) it is emulated
# with per-process POSIX locks, which would let two threads of one process in together.
_PROCESS_LOCKS: dict[str, threading.Lock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


def _process_lock(path: Path) -> threading.Lock:
    with _PROCESS_LOCKS_GUARD:
        return _PROCESS_LOCKS.setdefault(str(path), threading.Lock())


class FileTokenStore(TokenStore):
    """One JSON file per key under ``folder`` (``<folder>/<key>.json``, mode 0600), locked by ``flock``.

    Files are replaced atomically (write a temporary file, fsync, rename), so a process killed mid-write
    leaves the previous pair intact. The lock file ``<key>.lock`` is never deleted: deleting it would let
    a waiter lock a file that a newcomer no longer sees. A holder that dies releases the lock with its
    file descriptor, so a crashed task never wedges the others.
    """

    def __init__(self, folder: str | os.PathLike[str], *, lock_timeout: float = 120.0) -> None:
        self.folder = Path(folder)
        self.lock_timeout = lock_timeout

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.folder)!r})"

    def path(self, key: str) -> Path:
        """The file holding ``key``'s tokens; the key becomes a file name, so it must be a plain name."""
        if not _KEY.match(key):
            raise ValueError(f"token store key {key!r} must be letters, digits, '_', '.' or '-'")
        return self.folder / f"{key}.json"

    def load(self, key: str) -> TokenSet | None:
        path = self.path(key)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise CredentialsUnavailable(f"cannot read token store file {path}: {exc.strerror}") from None
        try:
            return TokenSet.from_json(json.loads(text))
        except ValueError as exc:
            # Never quote the file: it holds the tokens.
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            raise CredentialsUnavailable(f"token store file {path} is not a valid token file ({reason})") from None

    def save(self, key: str, tokens: TokenSet) -> None:
        path = self.path(key)
        self._ensure_folder()
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{key}.", suffix=".tmp")
        try:
            os.fchmod(handle, 0o600)
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(tokens.to_json(), stream, separators=(",", ":"))
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._fsync_folder()

    @contextmanager
    def locked(self, key: str) -> Iterator[None]:
        lock_path = self.path(key).with_suffix(".lock")
        deadline = time.monotonic() + self.lock_timeout
        thread_lock = _process_lock(lock_path.resolve())
        if not thread_lock.acquire(timeout=self.lock_timeout):
            raise CredentialsUnavailable(f"timed out after {self.lock_timeout} s waiting for the lock {lock_path}")
        try:
            self._ensure_folder()
            handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                self._flock(handle, lock_path, deadline)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
            finally:
                os.close(handle)
        finally:
            thread_lock.release()

    def _flock(self, handle: int, lock_path: Path, deadline: float) -> None:
        # Polled rather than blocking so a holder stuck in a slow token call cannot hang us forever.
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise CredentialsUnavailable(
                        f"timed out after {self.lock_timeout} s waiting for the lock {lock_path}"
                    ) from None
                time.sleep(0.02)

    def _ensure_folder(self) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _fsync_folder(self) -> None:
        # Makes the rename itself durable; without it a power cut can bring back the old file.
        try:
            handle = os.open(self.folder, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(handle)
        except OSError:
            pass
        finally:
            os.close(handle)


# Where the pipeline keeps connections' token pairs: ``$MW_TOKEN_DIR``, else ``$MW_VAR_DIR/tokens`` (the repository's
# ``var/tokens`` by default). Read here, not from ``warehouse.settings``, so extractors stay importable alone.
TOKEN_DIR_ENV = "MW_TOKEN_DIR"


def pipeline_token_store() -> FileTokenStore:
    """The store every task of a connection shares, so a rotated refresh token is seen by the next run."""
    folder = os.environ.get(TOKEN_DIR_ENV)
    if not folder:
        var = os.environ.get("MW_VAR_DIR") or str(Path(__file__).resolve().parent.parent / "var")
        folder = str(Path(var) / "tokens")
    return FileTokenStore(folder)

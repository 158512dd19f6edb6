"""``Sandbox``: one world, its clock and one API server per declared source, started and stopped together.

Which servers run comes from the catalog: every declared source with a sandbox package
(``sandbox/<source>/server.py`` defining ``SERVER``) gets one. Tests and the local demo drive the simulated
platforms through this object; extractors only ever see the connections it hands out (URL and token), so
pointing them at a real platform needs no code change.

Besides one connection per source there is ``pii_hashing``, whose password is the HMAC secret PII is hashed
with (``extractors.pii``). It is not committed: the first run generates it into
``<var>/secrets/pii_hashing.key`` (mode 0600) and later runs reuse it, so hashes stay the same from one
``make run`` to the next.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import secrets
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from extractors.catalog import sources
from extractors.pii import PII_CONN_ID
from sandbox.http_base import Clock, PlatformServer
from sandbox.world import World, as_of_moment
from warehouse import settings


def pii_secret_path() -> Path:
    return settings.var_dir() / "secrets" / f"{PII_CONN_ID}.key"


def pii_secret() -> str:
    """The run's PII HMAC secret: read from ``pii_secret_path()``, generated there on the first run.

    Written to a private temporary file and hard-linked into place, so two processes starting at once
    agree on one secret and nobody ever reads a half-written one.
    """
    path = pii_secret_path()
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
            with contextlib.suppress(FileExistsError):  # another process won: use its secret
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    return path.read_text(encoding="ascii").strip()


def sandboxed_sources() -> list[str]:
    """Declared sources that have a sandbox package, in catalog order."""
    return [s.name for s in sources() if importlib.util.find_spec(f"sandbox.{s.name}.server") is not None]


class Sandbox:
    """Every sandbox API server on 127.0.0.1 over one deterministic ``World``.

    ``as_of`` is the world's "now" (a date means midnight UTC; default: today, UTC). ``ports`` maps a source to
    a fixed port; the rest take a free one. ``timeout_seconds`` is how long a ``timeout`` fault holds its
    answer back.
    """

    def __init__(
        self,
        seed: int = 42,
        scale: float = 1.0,
        as_of: date | datetime | None = None,
        ports: dict[str, int] | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.world = World(seed=seed, scale=scale)
        self.timeout_seconds: float = 3.0
        self._clock = Clock(as_of_moment(as_of if as_of is not None else datetime.now(UTC).date()))
        ports = ports or {}
        self._servers: dict[str, PlatformServer] = {}
        for name in sandboxed_sources():
            server_class = importlib.import_module(f"sandbox.{name}.server").SERVER
            self._servers[name] = server_class(
                self.world,
                self._clock,
                host=host,
                port=ports.get(name, 0),
                timeout_seconds=lambda: self.timeout_seconds,
            )

    # -- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> Sandbox:
        for server in self._servers.values():
            server.start()
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            server.stop()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def names(self) -> list[str]:
        return list(self._servers)

    def url(self, source: str) -> str:
        return self._server(source).url

    def connections(self) -> dict[str, dict[str, Any]]:
        """Airflow connections (JSON form) by connection id: every source's, pointing at its sandbox server,
        and ``pii_hashing`` with this var folder's secret (read when called, so it follows ``MW_VAR_DIR``)."""
        from extractors.catalog import get_source

        found = {get_source(name).conn_id: server.connection() for name, server in self._servers.items()}
        found[PII_CONN_ID] = {"conn_type": "generic", "password": pii_secret()}
        return found

    # -- control ---------------------------------------------------------------------------------------

    @property
    def as_of(self) -> datetime:
        return self._clock.now()

    def set_as_of(self, as_of: date | datetime) -> None:
        """Move the world's clock (every server): later days appear, conversions and refunds land."""
        self._clock.set(as_of_moment(as_of))

    def inject(self, server: str, fault: str, times: int = 1) -> None:
        """Make the next ``times`` API requests to ``server`` (a source name) get ``fault``."""
        self._server(server).faults.push(fault, times)

    def clear_faults(self, server: str | None = None) -> None:
        """Drop faults not yet fired (of one server, or all), so one test's leftovers cannot hit the next."""
        for name in [server] if server else self.names:
            self._server(name).faults.clear()

    def requests(self, server: str) -> list[tuple[str, str, int]]:
        """(method, path_with_query, status) of the API requests seen; admin calls are not listed."""
        return self._server(server).log.entries()

    def data_requests(self, server: str) -> list[tuple[str, str, int]]:
        """``requests`` without the account settings reads that open each extraction."""
        platform = self._server(server)
        return [entry for entry in platform.log.entries() if not platform.is_settings_request(entry[1])]

    def reset_requests(self, server: str | None = None) -> None:
        for name in [server] if server else self.names:
            self._server(name).log.clear()

    def server(self, name: str) -> PlatformServer:
        """One platform's server, for what only it can do (expire its tokens, count its token calls)."""
        return self._server(name)

    def _server(self, name: str) -> PlatformServer:
        try:
            return self._servers[name]
        except KeyError:
            raise ValueError(f"unknown server {name!r}; known: {', '.join(self._servers)}") from None

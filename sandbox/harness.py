"""``Sandbox``: one world, its clock and both platform servers, started and stopped together.

Tests and the local demo drive the simulated platforms through this object; extractors only ever see
the URLs, so pointing them at a real platform needs no code change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import TracebackType

from sandbox.http_base import Clock, PlatformServer
from sandbox.meta_server import MetaServer
from sandbox.shopify_server import ShopifyServer
from sandbox.world import World, as_of_moment

SERVERS = ("meta", "shopify")


class Sandbox:
    """Both API servers on 127.0.0.1 over one deterministic ``World``.

    ``as_of`` is the world's "now" (a date means midnight UTC; default: today, UTC). Port 0 picks a
    free port. ``timeout_seconds`` is how long a ``timeout`` fault holds its answer back.
    """

    def __init__(
        self,
        seed: int = 42,
        scale: float = 1.0,
        as_of: date | datetime | None = None,
        meta_port: int = 0,
        shopify_port: int = 0,
        host: str = "127.0.0.1",
    ) -> None:
        self.world = World(seed=seed, scale=scale)
        self.timeout_seconds: float = 3.0
        self._clock = Clock(as_of_moment(as_of if as_of is not None else datetime.now(UTC).date()))
        options = {"host": host, "timeout_seconds": lambda: self.timeout_seconds}
        self._servers: dict[str, PlatformServer] = {
            "meta": MetaServer(self.world, self._clock, port=meta_port, **options),  # type: ignore[arg-type]
            "shopify": ShopifyServer(self.world, self._clock, port=shopify_port, **options),  # type: ignore[arg-type]
        }

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
    def meta_url(self) -> str:
        return self._servers["meta"].url

    @property
    def shopify_url(self) -> str:
        return self._servers["shopify"].url

    # -- control ---------------------------------------------------------------------------------------

    @property
    def as_of(self) -> datetime:
        return self._clock.now()

    def set_as_of(self, as_of: date | datetime) -> None:
        """Move the world's clock (both servers): later days appear, conversions and refunds land."""
        self._clock.set(as_of_moment(as_of))

    def inject(self, server: str, fault: str, times: int = 1) -> None:
        """Make the next ``times`` API requests to ``server`` ("meta" or "shopify") get ``fault``."""
        self._server(server).faults.push(fault, times)

    def clear_faults(self, server: str) -> None:
        """Drop faults not yet fired, so one test's leftovers cannot hit the next."""
        self._server(server).faults.clear()

    def requests(self, server: str) -> list[tuple[str, str, int]]:
        """(method, path_with_query, status) of the API requests seen; admin calls are not listed."""
        return self._server(server).log.entries()

    def reset_requests(self, server: str) -> None:
        self._server(server).log.clear()

    def _server(self, name: str) -> PlatformServer:
        try:
            return self._servers[name]
        except KeyError:
            raise ValueError(f"unknown server {name!r}; known: {', '.join(SERVERS)}") from None

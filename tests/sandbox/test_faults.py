"""Injected faults every sandbox server shares: each gives a 200 that is not JSON, a held-back answer or the
admin endpoints' behaviour, for exactly as many requests as asked.

Each server is called with its source's standard request (``tests/sources/<source>/api.py``); the faults
whose status and body are the platform's own are tested in ``tests/sources/<source>/test_faults.py``.
"""

from __future__ import annotations

import importlib
import json
import time

import pytest
import requests

from sandbox import Sandbox
from sandbox.harness import sandboxed_sources
from tests.sources import source_module, sources_with

SERVERS = sources_with("api", sandboxed_sources())


def call(sb: Sandbox, server: str, timeout: float | None = None) -> requests.Response:
    api = source_module(server, "api")
    assert api is not None
    return api.call(sb) if timeout is None else api.call(sb, timeout=timeout)


def test_the_generic_fault_tests_cover_the_sandboxed_sources() -> None:
    assert SERVERS and set(SERVERS) <= set(sandboxed_sources())


@pytest.mark.parametrize("server", SERVERS)
def test_malformed_body_is_a_200_that_is_not_json(sb: Sandbox, server: str) -> None:
    sb.inject(server, "malformed")
    response = call(sb, server)
    assert response.status_code == 200
    assert response.text.startswith("{")
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.text)
    assert call(sb, server).json()  # the next one is whole again


@pytest.mark.parametrize("server", SERVERS)
def test_timeout_holds_the_answer_back(sb: Sandbox, server: str) -> None:
    sb.timeout_seconds = 0.6
    sb.inject(server, "timeout")
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        call(sb, server, timeout=0.2)
    assert call(sb, server).status_code == 200
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("server", SERVERS)
def test_admin_endpoints_work_over_http_and_are_not_logged(sb: Sandbox, server: str) -> None:
    base = sb.url(server)
    timeout = 10
    armed = requests.post(f"{base}/_sandbox/faults", json={"fault": "server_error", "times": 1}, timeout=timeout)
    assert armed.status_code == 200 and armed.json()["pending_faults"] == ["server_error"]
    moved = requests.post(f"{base}/_sandbox/as_of", json={"as_of": "2026-11-30"}, timeout=timeout)
    assert moved.status_code == 200 and sb.as_of.isoformat() == "2026-11-30T00:00:00+00:00"
    assert requests.post(f"{base}/_sandbox/faults", json={"fault": "nope"}, timeout=timeout).status_code == 400
    assert requests.post(f"{base}/_sandbox/as_of", json={"as_of": "soon"}, timeout=timeout).status_code == 400

    server_error = source_module(server, "api").SERVER_ERROR_STATUS  # type: ignore[union-attr]
    assert server_error in (500, 503)
    assert call(sb, server).status_code == server_error
    assert call(sb, server).status_code == 200
    # (data_requests: a token call before each, as WeChat's, is not what the faults are about)
    assert [status for _, _, status in sb.data_requests(server)] == [server_error, 200]
    method, path, _ = sb.data_requests(server)[0]
    assert method == getattr(source_module(server, "api"), "METHOD", "GET") and not path.startswith("/_sandbox")
    sb.reset_requests(server)
    assert sb.requests(server) == []


def test_unknown_faults_and_servers_are_refused(sb: Sandbox) -> None:
    for server in sb.names:
        with pytest.raises(ValueError, match="unknown fault"):
            sb.inject(server, "gremlins")
    with pytest.raises(ValueError, match="unknown server"):
        sb.inject("no_such_platform", "rate_limit")


def test_a_data_fault_of_one_platform_is_unknown_to_the_others(sb: Sandbox) -> None:
    data_faults = {name: set(importlib.import_module(f"sandbox.{name}.server").SERVER.data_faults) for name in sb.names}
    refused = 0
    for server in sb.names:
        for faults in data_faults.values():
            for fault in sorted(faults - data_faults[server]):
                with pytest.raises(ValueError, match="unknown fault"):
                    sb.inject(server, fault)
                refused += 1
    assert refused > 0 or len(sb.names) < 2

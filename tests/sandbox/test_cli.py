"""``python -m sandbox serve``: announces its URLs as one JSON line, serves, and stops on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import requests

from sandbox.harness import sandboxed_sources
from tests.sources import source_module

REPO = Path(__file__).resolve().parents[2]


def test_serve_prints_urls_serves_and_stops_on_sigterm() -> None:
    names = sandboxed_sources()
    ports = [arg for name in names for arg in ("--port", f"{name}=0")]
    command = [sys.executable, "-m", "sandbox", "serve", "--seed", "42", "--scale", "1",
               "--as-of", "2026-11-23", *ports]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        urls = json.loads(process.stdout.readline())
        assert set(urls) == set(names) and names
        probed = 0
        for name, url in urls.items():
            state = requests.get(f"{url}/_sandbox/state", timeout=10).json()
            assert state["server"] == name
            assert state["as_of"] == "2026-11-23T00:00:00+00:00"
            api = source_module(name, "api")
            if api is not None:
                api.probe(url)  # an authenticated API request is answered with data
                probed += 1
        assert probed > 0
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_a_port_must_name_its_source() -> None:
    command = [sys.executable, "-m", "sandbox", "serve", "--port", "8080"]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "expected SOURCE=PORT, got '8080'" in result.stderr

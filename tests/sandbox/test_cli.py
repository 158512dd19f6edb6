"""``python -m sandbox serve``: announces its URLs as one JSON line, serves, and stops on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import requests

from sandbox.credentials import SHOPIFY_ACCESS_TOKEN

REPO = Path(__file__).resolve().parents[2]


def test_serve_prints_urls_serves_and_stops_on_sigterm() -> None:
    command = [sys.executable, "-m", "sandbox", "serve", "--seed", "42", "--scale", "1",
               "--as-of", "2026-11-23", "--meta-port", "0", "--shopify-port", "0"]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        urls = json.loads(process.stdout.readline())
        assert set(urls) == {"meta_url", "shopify_url"}
        query: dict[str, str | int] = {"status": "any", "limit": 1, "created_at_min": "2026-11-22T00:00:00+08:00"}
        response = requests.get(
            f"{urls['shopify_url']}/admin/api/2025-01/orders.json",
            params=query,
            headers={"X-Shopify-Access-Token": SHOPIFY_ACCESS_TOKEN},
            timeout=10,
        )
        assert response.status_code == 200 and len(response.json()["orders"]) == 1
        state = requests.get(f"{urls['meta_url']}/_sandbox/state", timeout=10).json()
        assert state["as_of"] == "2026-11-23T00:00:00+00:00"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0

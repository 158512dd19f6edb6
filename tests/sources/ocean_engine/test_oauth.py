"""The sandbox's OAuth as Ocean Engine's: an auth code buys a pair, each refresh rotates both tokens and kills the
refresh token it used, access tokens last 24 h and refresh tokens 30 days on the world's clock, and every
refusal is a code in an HTTP 200."""

from __future__ import annotations

from datetime import UTC, date, datetime

import requests

from sandbox import Sandbox
from sandbox.ocean_engine.server import APP_ID, REFRESH_PATH
from tests.sources.ocean_engine.api import DAY, TIMEOUT, authorize, get_report, refresh, report_params
from tests.sources.ocean_engine.helpers import SOURCE


def report_code(sb: Sandbox, token: str) -> int:
    code: int = get_report(sb.url(SOURCE), token, report_params(DAY, DAY, page_size=1)).json()["code"]
    return code


def test_an_auth_code_buys_a_pair_with_ocean_engine_s_lifetimes(sb: Sandbox) -> None:
    pair = authorize(sb.url(SOURCE))
    assert (pair["expires_in"], pair["refresh_token_expires_in"]) == (86400, 30 * 86400)
    assert pair["advertiser_ids"] == [1768310000000101, 1768310000000202]
    assert report_code(sb, pair["access_token"]) == 0


def test_a_refresh_rotates_both_tokens_and_the_used_refresh_token_is_dead(sb: Sandbox) -> None:
    base = sb.url(SOURCE)
    pair = authorize(base)
    answer = refresh(base, pair["refresh_token"])
    assert answer["code"] == 0 and answer["message"] == "OK" and answer["request_id"]
    rotated = answer["data"]
    assert set(rotated) == {"access_token", "expires_in", "refresh_token", "refresh_token_expires_in"}
    assert rotated["access_token"] != pair["access_token"] and rotated["refresh_token"] != pair["refresh_token"]
    assert report_code(sb, rotated["access_token"]) == 0
    again = refresh(base, pair["refresh_token"])  # the used one
    assert (again["code"], again["data"]) == (40107, {})
    assert refresh(base, rotated["refresh_token"])["code"] == 0  # the rotated one, once


def test_lifetimes_run_on_the_world_s_clock(sb: Sandbox) -> None:
    base = sb.url(SOURCE)
    pair = authorize(base)  # at 2026-11-23 00:00 UTC
    sb.set_as_of(datetime(2026, 11, 24, 0, 0, tzinfo=UTC))
    assert report_code(sb, pair["access_token"]) == 40102
    rotated = refresh(base, pair["refresh_token"])["data"]  # 24 h later the refresh token still works
    assert report_code(sb, rotated["access_token"]) == 0
    sb.set_as_of(date(2026, 12, 25))  # 31 days after the rotated pair was issued
    expired = refresh(base, rotated["refresh_token"])
    assert (expired["code"], expired["message"]) == (40103, "The refresh token has expired, please authorize again")


def test_the_token_endpoint_checks_the_app_and_the_grant(sb: Sandbox) -> None:
    url = f"{sb.url(SOURCE)}{REFRESH_PATH}"
    pair = authorize(sb.url(SOURCE))
    good = {"app_id": APP_ID, "secret": "wrong", "grant_type": "refresh_token", "refresh_token": pair["refresh_token"]}
    wrong_secret = requests.post(url, json=good, timeout=TIMEOUT)
    assert (wrong_secret.status_code, wrong_secret.json()["code"]) == (200, 40001)
    made_up = refresh(sb.url(SOURCE), "oe-rt-made-up")
    assert made_up["code"] == 40107
    assert requests.get(url, timeout=TIMEOUT).json()["code"] == 40001  # POST only
    assert refresh(sb.url(SOURCE), pair["refresh_token"])["code"] == 0  # the refusals did not spend it

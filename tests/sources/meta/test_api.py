"""The Meta insights server over real HTTP: paging, fields, auth, parameter errors, restatement."""

from __future__ import annotations

import json
import math
from datetime import date
from decimal import Decimal

import requests

from sandbox import Sandbox
from sandbox.meta import truth
from sandbox.meta.server import ACCESS_TOKEN
from sandbox.meta.world import MetaWorld
from tests.sources.meta.api import TIMEOUT, fetch_meta, meta_params, meta_url

AS_OF = date(2026, 11, 23)
SINCE, UNTIL = date(2026, 10, 25), date(2026, 11, 22)


def test_paging_visits_every_row_exactly_once(sb: Sandbox, meta: MetaWorld) -> None:
    for account in ("act_1001", "act_2002"):
        expected = truth.insight_rows(meta, account, SINCE, UNTIL, AS_OF)
        rows, pages = fetch_meta(sb, account, SINCE, UNTIL, limit=37)
        assert rows == expected
        assert pages == math.ceil(len(expected) / 37)
    assert len(truth.insight_rows(meta, "act_1001", SINCE, UNTIL, AS_OF)) == 736


def test_default_limit_and_last_page_has_no_next(sb: Sandbox) -> None:
    first = requests.get(meta_url(sb), params=meta_params(SINCE, UNTIL), timeout=TIMEOUT).json()
    assert len(first["data"]) == 25
    assert set(first["paging"]["cursors"]) == {"before", "after"}
    assert first["paging"]["next"].startswith(f"{sb.url('meta')}/v27.0/act_1001/insights?")

    day = date(2026, 11, 22)
    single = requests.get(meta_url(sb), params=meta_params(day, day, limit=500), timeout=TIMEOUT).json()
    assert 0 < len(single["data"]) < 500
    assert "next" not in single["paging"]


def test_limit_above_500_is_capped(sb: Sandbox) -> None:
    body = requests.get(meta_url(sb), params=meta_params(SINCE, UNTIL, limit=5000), timeout=TIMEOUT).json()
    assert len(body["data"]) == 500 and "next" in body["paging"]


def test_fields_are_filtered(sb: Sandbox) -> None:
    params = meta_params(SINCE, SINCE, fields="ad_id,spend,actions")
    rows = requests.get(meta_url(sb), params=params, timeout=TIMEOUT).json()["data"]
    assert rows
    assert all(set(r) <= {"ad_id", "spend", "actions", "date_start", "date_stop"} for r in rows)
    assert all({"ad_id", "spend", "date_start", "date_stop"} <= set(r) for r in rows)


def test_bearer_header_is_accepted_and_bad_tokens_are_not(sb: Sandbox) -> None:
    params = meta_params(SINCE, SINCE)
    del params["access_token"]
    headers = {"Authorization": f"Bearer {ACCESS_TOKEN}"}
    assert requests.get(meta_url(sb), params=params, headers=headers, timeout=TIMEOUT).status_code == 200

    for bad in ({}, {"access_token": "wrong"}):
        response = requests.get(meta_url(sb), params={**params, **bad}, timeout=TIMEOUT)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == 190
        assert response.json()["error"]["type"] == "OAuthException"


def test_bad_parameters_are_code_100(sb: Sandbox) -> None:
    cases = [
        meta_params(SINCE, UNTIL, fields="spend,not_a_field"),
        meta_params(UNTIL, SINCE),
        meta_params(SINCE, UNTIL, level="campaign"),
        meta_params(SINCE, UNTIL, after="not-a-cursor"),
        {**meta_params(SINCE, UNTIL), "time_range": "{bad json"},
    ]
    for params in cases:
        response = requests.get(meta_url(sb), params=params, timeout=TIMEOUT)
        assert response.status_code == 400, params
        error = response.json()["error"]
        assert error["code"] == 100 and error["message"].startswith("(#100)") and error["fbtrace_id"]
    unknown = requests.get(meta_url(sb, "act_999"), params=meta_params(SINCE, UNTIL), timeout=TIMEOUT)
    assert unknown.status_code == 400
    assert (unknown.json()["error"]["code"], unknown.json()["error"]["error_subcode"]) == (100, 33)


def test_every_version_meta_serves_today_is_served_and_older_ones_are_not(sb: Sandbox) -> None:
    served = {
        version: requests.get(meta_url(sb, "act_2002", version), params=meta_params(SINCE, SINCE), timeout=TIMEOUT)
        for version in ("v99.0", "v23.0", "v24.0", "v25.0", "v26.0", "v27.0")
    }
    assert {version: response.status_code for version, response in served.items()} == {
        "v99.0": 400, "v23.0": 400, "v24.0": 400, "v25.0": 200, "v26.0": 200, "v27.0": 200,
    }  # fmt: skip
    assert served["v99.0"].json()["error"]["code"] == 2500  # never a Graph API version
    assert served["v23.0"].json()["error"]["code"] == 2635  # retired


def test_purchases_restate_over_http_while_spend_stays(sb: Sandbox) -> None:
    day = date(2026, 11, 1)

    def totals() -> tuple[Decimal, int, Decimal]:
        rows, _ = fetch_meta(sb, "act_1001", day, day, limit=500)
        spend = sum((Decimal(r["spend"]) for r in rows), Decimal("0.00"))
        purchases = sum(int(a["value"]) for r in rows for a in r.get("actions", []) if a["action_type"] == "purchase")
        value = sum((Decimal(a["value"]) for r in rows for a in r.get("action_values", [])), Decimal("0.00"))
        return spend, purchases, value

    sb.set_as_of(date(2026, 11, 2))
    early = totals()
    sb.set_as_of(date(2026, 11, 12))
    later = totals()
    sb.set_as_of(date(2026, 12, 15))
    final = totals()
    assert early[0] == later[0] == final[0] == Decimal("9524.16")
    assert early[1] < later[1] < final[1]
    assert early[2] < later[2] < final[2]


def test_days_appear_as_the_clock_moves(sb: Sandbox) -> None:
    since, until = date(2026, 11, 20), date(2026, 11, 26)
    rows, _ = fetch_meta(sb, "act_2002", since, until, limit=500)
    assert max(r["date_start"] for r in rows) == "2026-11-22"
    sb.set_as_of(date(2026, 11, 25))
    rows, _ = fetch_meta(sb, "act_2002", since, until, limit=500)
    assert max(r["date_start"] for r in rows) == "2026-11-24"


def test_next_url_carries_the_token_and_filters(sb: Sandbox) -> None:
    body = requests.get(meta_url(sb), params=meta_params(SINCE, UNTIL, fields="spend"), timeout=TIMEOUT).json()
    nxt = requests.get(body["paging"]["next"], timeout=TIMEOUT)
    assert nxt.status_code == 200
    assert set(nxt.json()["data"][0]) == {"spend", "date_start", "date_stop"}
    assert json.loads(nxt.headers["x-business-use-case-usage"])["1001"][0]["type"] == "ads_insights"

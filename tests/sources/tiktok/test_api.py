"""The TikTok sandbox's report and advertiser info over HTTP, checked against the world's ground truth."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest

from sandbox import Sandbox
from sandbox.tiktok import truth
from sandbox.tiktok.world import TikTokWorld
from tests.helpers import AS_OF
from tests.sources.tiktok.api import INFO_PATH, METRICS, REPORT_PATH, fetch_report, get, get_report, report_params
from tests.sources.tiktok.helpers import CROSS_BORDER, SOURCE, US

WEEK = (date(2026, 11, 1), date(2026, 11, 7))


def test_pages_add_up_to_the_truth_every_value_a_string(sb: Sandbox, tiktok: TikTokWorld) -> None:
    rows, pages = fetch_report(sb, *WEEK, page_size=50)
    expected = truth.report_rows(tiktok, US, *WEEK, AS_OF, METRICS)
    assert rows == expected
    assert len(rows) > 100 and pages == math.ceil(len(rows) / 50)
    assert len({(r["dimensions"]["ad_id"], r["dimensions"]["stat_time_day"]) for r in rows}) == len(rows)
    for row in rows:
        assert set(row) == {"dimensions", "metrics"} and set(row["metrics"]) == set(METRICS)
        assert all(isinstance(v, str) for v in (*row["dimensions"].values(), *row["metrics"].values()))
        assert re.fullmatch(r"2026-11-0[1-7] 00:00:00", row["dimensions"]["stat_time_day"])
        assert re.fullmatch(r"1783\d{15}", row["dimensions"]["ad_id"])  # 19 digits, past 2^53


def test_the_envelope_and_page_info(sb: Sandbox, tiktok: TikTokWorld) -> None:
    total = len(truth.report_rows(tiktok, US, *WEEK, AS_OF))
    body = get_report(sb, report_params(*WEEK, page=2, page_size=40))
    assert set(body) == {"code", "message", "request_id", "data"}
    assert (body["code"], body["message"]) == (0, "OK") and body["request_id"]
    assert body["data"]["page_info"] == {
        "page": 2, "page_size": 40, "total_number": total, "total_page": math.ceil(total / 40),
    }  # fmt: skip
    assert len(body["data"]["list"]) == 40
    past_the_end = get_report(sb, report_params(*WEEK, page=99, page_size=40))
    assert past_the_end["code"] == 0 and past_the_end["data"]["list"] == []


def test_metrics_default_to_spend_and_impressions(sb: Sandbox) -> None:
    body = get_report(sb, report_params(*WEEK, metrics=None, page_size=1))
    assert set(body["data"]["list"][0]["metrics"]) == {"spend", "impressions"}


@pytest.mark.parametrize(
    ("headers", "code"),
    [({}, 40104), ({"Access-Token": "not-the-token"}, 40105), ({"Authorization": "Bearer x"}, 40104)],
)
def test_a_missing_or_wrong_token_is_a_body_code_in_an_http_200(sb: Sandbox, headers: dict, code: int) -> None:
    import requests

    response = requests.get(f"{sb.url(SOURCE)}{REPORT_PATH}", params=report_params(*WEEK), headers=headers, timeout=10)
    assert response.status_code == 200
    assert response.json()["code"] == code and response.json()["data"] == {}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end_date": "2026-12-01"}, "can not exceed 30 days"),  # 31 days, inclusive
        ({"end_date": "2026-10-31"}, "end_date must not be earlier"),
        ({"page_size": 1001}, "page_size: Must be between 1 and 1000"),
        ({"page_size": 0}, "page_size: Must be between 1 and 1000"),
        ({"dimensions": "ad_id,stat_time_day"}, "must be a JSON-encoded list"),
        ({"metrics": json.dumps(["spend", "purchase_roas"])}, "Invalid metric: purchase_roas"),
        ({"start_date": "20261101"}, "start_date: Not a valid date"),
        ({"report_type": None}, "report_type: Missing data for required field"),
        ({"data_level": "AUCTION_CAMPAIGN"}, "AUCTION_AD only"),
        ({"advertiser_id": "act_1001"}, "advertiser_id: Not a valid integer"),
    ],
)
def test_a_bad_parameter_is_40002(sb: Sandbox, change: dict[str, Any], message: str) -> None:
    body = get_report(sb, report_params(date(2026, 11, 1), date(2026, 11, 30), **change))
    assert body["code"] == 40002, body
    assert message in body["message"]


def test_thirty_days_and_a_thousand_rows_are_the_limits_not_beyond(sb: Sandbox) -> None:
    body = get_report(sb, report_params(date(2026, 10, 24), date(2026, 11, 22), page_size=1000))
    assert body["code"] == 0 and body["data"]["page_info"]["page_size"] == 1000


@pytest.mark.parametrize("advertiser", ["7301940000000000099", "11"])
def test_an_advertiser_outside_the_authorization_is_40001(sb: Sandbox, advertiser: str) -> None:
    body = get_report(sb, report_params(*WEEK, advertiser=advertiser))
    assert body["code"] == 40001 and advertiser in body["message"]


def test_advertiser_info_gives_each_advertisers_zone_and_currency(sb: Sandbox) -> None:
    params = {"advertiser_ids": json.dumps([US, CROSS_BORDER]), "fields": json.dumps(["timezone", "currency", "name"])}
    body = get(sb.url(SOURCE), INFO_PATH, params).json()
    assert body["code"] == 0
    assert [(a["advertiser_id"], a["timezone"], a["currency"]) for a in body["data"]["list"]] == [
        (US, "America/Los_Angeles", "USD"),
        (CROSS_BORDER, "Asia/Shanghai", "USD"),
    ]
    assert set(body["data"]["list"][0]) == {"advertiser_id", "timezone", "currency", "name"}
    refused = get(sb.url(SOURCE), INFO_PATH, {"advertiser_ids": json.dumps(["7301940000000000099"])}).json()
    assert refused["code"] == 40001


def test_a_day_shows_once_it_is_over_in_the_advertisers_zone(sb: Sandbox) -> None:
    day = date(2026, 11, 22)
    # 2026-11-23 00:00 UTC: 08:00 in Shanghai (the day is over), still 16:00 on the 22nd in Los Angeles.
    assert get_report(sb, report_params(day, day, advertiser=CROSS_BORDER))["data"]["list"]
    assert get_report(sb, report_params(day, day, advertiser=US))["data"]["list"] == []
    sb.set_as_of(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))  # midnight in Los Angeles
    assert get_report(sb, report_params(day, day, advertiser=US))["data"]["list"]


def test_purchases_are_restated_upwards_until_final(sb: Sandbox, tiktok: TikTokWorld) -> None:
    day = date(2026, 11, 10)
    final = sum(entry.purchases for entry in tiktok.delivery(US, day))
    counts = []
    for as_of in (date(2026, 11, 12), date(2026, 11, 15), date(2026, 12, 9), date(2026, 12, 20)):
        sb.set_as_of(as_of)
        rows, _ = fetch_report(sb, day, day, page_size=1000)
        counts.append(sum(int(r["metrics"]["complete_payment"]) for r in rows))
    assert counts == sorted(counts) and counts[0] < counts[-1]
    assert counts[-2:] == [final, final]  # 28 days on in Los Angeles, the count is final

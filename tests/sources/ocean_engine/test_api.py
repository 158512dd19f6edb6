"""The Ocean Engine sandbox over HTTP: the custom report's parameters, paging, string values and 19-digit ids,
errors as codes inside HTTP 200, advertiser info, and the day that is still moving."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import requests

from sandbox import Sandbox
from sandbox.ocean_engine import truth
from sandbox.ocean_engine.world import OceanEngineWorld
from tests.helpers import AS_OF
from tests.sources.ocean_engine.api import (
    ADVERTISER,
    DAY,
    INFO_PATH,
    METRICS,
    TIMEOUT,
    access_token,
    authorize,
    fetch_report,
    get_report,
    report_params,
)
from tests.sources.ocean_engine.helpers import SOURCE

WEEK = (date(2026, 11, 1), date(2026, 11, 7))


def answer(sb: Sandbox, **extra: object) -> dict:
    response = get_report(sb.url(SOURCE), access_token(sb), report_params(*WEEK, **extra))
    assert response.status_code == 200  # errors too: the code says what happened
    body: dict = response.json()
    assert set(body) == {"code", "message", "request_id", "data"} and body["request_id"]
    return body


def test_paging_by_page_number_visits_every_row_once_and_totals_cover_every_page(
    sb: Sandbox, ocean: OceanEngineWorld
) -> None:
    rows, pages = fetch_report(sb, access_token(sb), *WEEK, page_size=40)
    expected = truth.report_rows(ocean, ADVERTISER, *WEEK, AS_OF, metrics=METRICS)
    assert len(expected) > 80 and pages == -(-len(expected) // 40)
    assert rows == expected
    first = answer(sb, page_size=40)["data"]
    assert first["page_info"] == {"page": 1, "page_size": 40, "total_number": len(expected), "total_page": pages}
    assert Decimal(first["total_metrics"]["stat_cost"]) == sum(Decimal(r["metrics"]["stat_cost"]) for r in rows)
    assert int(first["total_metrics"]["show_cnt"]) == sum(int(r["metrics"]["show_cnt"]) for r in rows)
    past_the_end = answer(sb, page_size=40, page=pages + 1)["data"]
    assert past_the_end["rows"] == [] and past_the_end["page_info"]["page"] == pages + 1


def test_values_are_strings_and_ids_are_19_digit_strings_past_2_to_the_53(sb: Sandbox) -> None:
    rows = answer(sb)["data"]["rows"]
    for row in rows:
        assert all(isinstance(value, str) for value in (*row["dimensions"].values(), *row["metrics"].values()))
        for key in ("cdp_project_id", "cdp_promotion_id"):
            assert len(row["dimensions"][key]) == 19 and int(row["dimensions"][key]) > 2**53
    # Read as floats (a JavaScript client), most ids would change: the reason they travel as strings.
    changed = [
        r for r in rows if int(float(r["dimensions"]["cdp_promotion_id"])) != int(r["dimensions"]["cdp_promotion_id"])
    ]
    assert len(changed) > len(rows) // 2
    assert rows[0]["metrics"]["stat_cost"].count(".") == 1  # yuan with fen, e.g. "78.63"


def test_only_the_asked_metrics_come_back_and_derived_ones_are_computed(sb: Sandbox) -> None:
    row = answer(sb, metrics=json.dumps(["stat_cost", "show_cnt", "click_cnt", "ctr", "cpm_platform"]))["data"]["rows"][
        0
    ]
    metrics = row["metrics"]
    assert set(metrics) == {"stat_cost", "show_cnt", "click_cnt", "ctr", "cpm_platform"}
    cost, shows, clicks = Decimal(metrics["stat_cost"]), int(metrics["show_cnt"]), int(metrics["click_cnt"])
    assert Decimal(metrics["ctr"]) == (Decimal(clicks) * 100 / shows).quantize(Decimal("0.01"))
    assert Decimal(metrics["cpm_platform"]) == (cost * 1000 / shows).quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({"filters": None}, "filters is required (send [] when empty)"),
        ({"filters": "[{}]"}, "filters=[] only"),
        ({"dimensions": "stat_time_day"}, "dimensions must be JSON"),
        ({"metrics": json.dumps(["stat_cost", "spend"])}, "unknown field(s) spend"),
        ({"metrics": "[]"}, "metrics must not be empty"),
        ({"dimensions": json.dumps(["stat_time_day"])}, "need stat_time_day, cdp_promotion_id"),
        ({"start_time": "2026-11-01", "end_time": "2026-12-01"}, "must not exceed 30 days"),
        ({"start_time": "2026-11-07", "end_time": "2026-11-01"}, "start_time must not be after end_time"),
        ({"start_time": "2026/11/01"}, "start_time must be a date"),
        ({"page_size": 1001}, "page_size must be an integer 1..1000"),
        ({"page_size": 0}, "page_size must be an integer 1..1000"),
        ({"page": 0}, "page must be an integer >= 1"),
        ({"data_topic": None}, "data_topic must be BASIC_DATA"),
        ({"advertiser_id": "act_1"}, "advertiser_id must be a number"),
    ],
)  # fmt: skip
def test_a_bad_parameter_is_code_40001_in_an_http_200(sb: Sandbox, extra: dict, says: str) -> None:
    body = answer(sb, **extra)
    assert body["code"] == 40001 and says in body["message"], body
    assert body["data"] == {}


def test_thirty_days_are_one_request_and_an_advertiser_without_permission_is_40002(sb: Sandbox) -> None:
    assert answer(sb, start_time="2026-10-23", end_time="2026-11-21")["code"] == 0  # 30 days, inclusive
    refused = answer(sb, advertiser_id="1768310000000999")
    assert (refused["code"], refused["message"]) == (40002, "No permission to operate advertiser 1768310000000999")


def test_tokens_are_checked_empty_wrong_and_expired_in_an_http_200(sb: Sandbox) -> None:
    params = report_params(DAY, DAY)
    base = sb.url(SOURCE)
    codes = []
    for token in (None, "", "oe-at-made-up"):
        response = get_report(base, token, params)
        codes.append((response.status_code, response.json()["code"]))
    assert codes == [(200, 40104), (200, 40104), (200, 40105)]
    token = access_token(sb)
    sb.set_as_of(datetime(2026, 11, 23, 23, 59, tzinfo=UTC))  # 24 h on the world's clock, less a minute
    assert get_report(base, token, params).json()["code"] == 0
    sb.set_as_of(datetime(2026, 11, 24, tzinfo=UTC))
    assert get_report(base, token, params).json()["code"] == 40102


def test_advertiser_info_lists_the_advertisers_with_numeric_ids_and_refuses_one_without_permission(
    sb: Sandbox,
) -> None:
    headers = {"Access-Token": access_token(sb)}
    url = f"{sb.url(SOURCE)}{INFO_PATH}"
    ids = json.dumps([1768310000000101, 1768310000000202])
    body = requests.get(
        url, params={"advertiser_ids": ids, "fields": '["id","name"]'}, headers=headers, timeout=TIMEOUT
    ).json()
    assert body["code"] == 0
    assert body["data"]["list"] == [
        {"id": 1768310000000101, "name": "品牌抖音旗舰店"},
        {"id": 1768310000000202, "name": "品牌直播间"},
    ]
    every = requests.get(url, params={"advertiser_ids": "[1768310000000101]"}, headers=headers, timeout=TIMEOUT).json()
    assert set(every["data"]["list"][0]) == {"id", "name", "company", "role", "status", "create_time"}
    mixed = json.dumps([1768310000000101, 1768310000000999])
    refused = requests.get(url, params={"advertiser_ids": mixed}, headers=headers, timeout=TIMEOUT).json()
    assert refused["code"] == 40002 and refused["data"] == {}


def test_today_shows_while_it_runs_and_settles_at_six_the_next_morning(sb: Sandbox, ocean: OceanEngineWorld) -> None:
    day = date(2026, 11, 23)  # at AS_OF (00:00 UTC) it is 08:00 in Beijing: the day runs
    token = access_token(sb)

    def cost_at(moment: datetime) -> Decimal:
        sb.set_as_of(moment)
        rows, _ = fetch_report(sb, token, day, day, page_size=1000)
        return sum((Decimal(r["metrics"]["stat_cost"]) for r in rows), Decimal("0.00"))

    morning = cost_at(datetime(2026, 11, 23, 0, 0, tzinfo=UTC))  # 08:00 Beijing
    evening = cost_at(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))  # 20:00 Beijing
    almost = cost_at(datetime(2026, 11, 23, 21, 59, tzinfo=UTC))  # 05:59 the next morning
    settled = cost_at(datetime(2026, 11, 23, 22, 0, tzinfo=UTC))  # 06:00 the next morning
    later = cost_at(datetime(2026, 11, 23, 23, 0, tzinfo=UTC))
    assert Decimal(0) < morning < evening < almost < settled == later
    final = truth.spend_by_advertiser_day(ocean, day, day, datetime(2026, 11, 30, tzinfo=UTC))[(ADVERTISER, day)]
    assert settled == final
    assert cost_at(datetime(2026, 11, 22, 15, 59, tzinfo=UTC)) == 0  # 23:59 Beijing the day before: not begun


def test_conversions_restate_while_cost_stays(sb: Sandbox) -> None:
    day = date(2026, 11, 15)

    def totals(as_of: date) -> tuple[Decimal, int, Decimal]:
        sb.set_as_of(as_of)
        token = authorize(sb.url(SOURCE))["access_token"]  # one issued on that day: tokens age on the world's clock
        rows, _ = fetch_report(sb, token, day, day, page_size=1000)
        return (
            sum((Decimal(r["metrics"]["stat_cost"]) for r in rows), Decimal(0)),
            sum(int(r["metrics"]["convert_cnt"]) for r in rows),
            sum((Decimal(r["metrics"]["active_pay_amount"]) for r in rows), Decimal(0)),
        )

    early, late = totals(date(2026, 11, 17)), totals(date(2026, 12, 20))
    assert early[0] == late[0]
    assert early[1] < late[1] and early[2] < late[2]

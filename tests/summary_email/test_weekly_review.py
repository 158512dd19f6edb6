"""The weekly review (数据复盘) through the real send path, on a hand-built serving file of two weeks.

"Now" is Monday 2026-11-23 09:00 in Shanghai: the review covers Monday 2026-11-16 .. Sunday 2026-11-22,
against 2026-11-09 .. 11-15 and, 52 weeks back, 2025-11-17 .. 11-23. Expected figures by hand:

* Sales. Week: 60 orders, GMV 15,000, net 13,000, 20 new (AOV 15,000 / 60 = 250, not the mean of the
  daily AOVs 200, 300, 300). Week before: 40, 10,000, 9,000, 16 (AOV 250). Last year: 10, 2,000, 1,800, 4.
* Ads (from 2026-10-01, so no last-year figures). Week: spend 5,000, conversions 20, value 14,000:
  ROAS 2.80, CPA 250, MER 13,000 / 5,000 = 2.60. Week before: 2,000, 4, 6,000: ROAS 3.00, CPA 500, MER 4.50.
* Pacing, 11-01 .. 11-22 against 10-01 .. 10-22: spend 7,000 vs 1,000; net sales 22,000 vs 900.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO_ROOT
from tests.summary_email.conftest import Inbox, make_config, write_serving
from tests.summary_email.test_daily_brief import _parts
from warehouse.summary_email.brief import run_daily_brief, run_weekly_review
from warehouse.summary_email.ledger import SendLedger
from warehouse.summary_email.model import Period
from warehouse.summary_email.sections import trend_values

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
WEEK = Period(date(2026, 11, 16), date(2026, 11, 22), "weekly")
LABEL = "2026-11-16 – 2026-11-22"


def _sales(day: date, orders: int, new: int, gmv: int, net: int) -> tuple[object, ...]:
    return (day, orders, orders, new, orders - new, gmv, 0, gmv - net, net, gmv / orders)


SALES_ROWS = [
    _sales(date(2025, 11, 17), 10, 4, 2000, 1800),  # the same week last year
    _sales(date(2026, 10, 5), 5, 2, 1000, 900),  # the previous month's same days (pacing)
    _sales(date(2026, 11, 10), 20, 10, 4000, 3600),  # the week before
    _sales(date(2026, 11, 12), 20, 6, 6000, 5400),
    _sales(date(2026, 11, 16), 30, 10, 6000, 5500),  # the week
    _sales(date(2026, 11, 20), 20, 8, 6000, 5000),
    _sales(date(2026, 11, 22), 10, 2, 3000, 2500),
]
AD_ROWS = [
    # date_day, campaign_id, campaign_name, ad_id, spend, conversions, conversion value
    (date(2026, 10, 1), "c1", "Alpha", "a1", 1000, 2, 2000),
    (date(2026, 11, 11), "c1", "Alpha", "a1", 2000, 4, 6000),
    (date(2026, 11, 17), "c1", "Alpha", "a1", 1500, 5, 6000),
    (date(2026, 11, 21), "c1", "Alpha", "a1", 500, 1, 3000),
    (date(2026, 11, 18), "c2", "Beta", "a2", 2000, 10, 2000),
    (date(2026, 11, 19), "c3", "Gamma", "a3", 1000, 4, 3000),
]

EXPECTED = {
    "en": [
        "GMV: ¥15k  (vs previous week +50.0%, vs last year +650%)",
        "Net sales: ¥13k  (vs previous week +44.4%, vs last year +622%)",
        "Orders: 60  (vs previous week +50.0%, vs last year +500%)",
        "AOV: ¥250.00  (vs previous week ±0%, vs last year +25.0%)",
        "New customers: 20  (vs previous week +25.0%, vs last year +400%)",
        "Spend: ¥5k  (vs previous week +150%)",
        "MER (net sales / spend): 2.60  (vs previous week −42.2%)",
        "Platform ROAS: 2.80  (vs previous week −6.7%)",
        "CPA (platform conversions): ¥250.00  (vs previous week −50.0%)",
        "Spend, month to date: ¥7k  (vs same days last month +600%)",
        "Net sales, month to date: ¥22k  (vs same days last month +2,344%)",
    ],
    "zh-CN": [
        "GMV: ¥1.5万  (周环比 +50.0%, 同比 +650%)",
        "净销售额: ¥1.3万  (周环比 +44.4%, 同比 +622%)",
        "客单价: ¥250.00  (周环比 ±0%, 同比 +25.0%)",
        "花费: ¥5,000.00  (周环比 +150%)",
        "MER（净销售额 / 花费）: 2.60  (周环比 −42.2%)",
        "本月累计花费: ¥7,000.00  (较上月同期 +600%)",
        "本月累计净销售额: ¥2.2万  (较上月同期 +2,344%)",
    ],
}


def weekly_serving(path: Path, *, published_through: date = WEEK.end, sales: list | None = None) -> Path:
    write_serving(path, published_through=published_through, sales=sales or SALES_ROWS)
    con = duckdb.connect(str(path))
    con.execute("delete from marts.ad_performance_daily")
    con.executemany("insert into marts.ad_performance_daily values (?, 'meta', 'act_1', ?, ?, ?, ?, ?, ?)", AD_ROWS)
    con.close()
    return path


def _send(tmp_path: Path, language: str = "en", **kwargs) -> dict:
    return run_weekly_review(
        now=kwargs.pop("now", NOW),
        config=make_config(language=language),
        serving=kwargs.pop("serving", None) or weekly_serving(tmp_path / "serving.duckdb"),
        ledger=SendLedger(tmp_path / "email" / "sent.json"),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("now", "week_start"),
    [
        (NOW, date(2026, 11, 16)),
        (datetime(2026, 11, 22, 17, 0, tzinfo=UTC), date(2026, 11, 16)),  # Monday 01:00 in Shanghai
        (datetime(2026, 11, 22, 15, 59, tzinfo=UTC), date(2026, 11, 9)),  # still Sunday there: week not over
        (datetime(2026, 11, 27, 4, 0, tzinfo=UTC), date(2026, 11, 16)),  # a rerun later in the week
    ],
)
def test_the_review_covers_the_previous_complete_week_in_the_configured_zone(now, week_start):
    from warehouse.summary_email.brief import expected_period

    period = expected_period("weekly", now, make_config())
    assert (period.start, period.end, period.kind) == (
        week_start,
        date.fromordinal(week_start.toordinal() + 6),
        "weekly",
    )
    assert period.start.weekday() == 0 and period.days == 7
    assert period.previous().end.toordinal() == period.start.toordinal() - 1
    assert period.last_year().start.weekday() == 0


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_review_arrives_with_hand_computed_weekly_figures_in_both_parts(tmp_path, smtp_inbox: Inbox, language):
    result = _send(tmp_path, language)
    assert result["status"] == "sent" and result["kind"] == "weekly" and result["period"] == WEEK.key
    (envelope,) = smtp_inbox.envelopes
    assert sorted(envelope.rcpt_tos) == ["ceo@acme.test", "growth@acme.test"]
    (message,) = smtp_inbox.messages()
    expected_subject = {"en": f"Acme Tea weekly review {LABEL}", "zh-CN": f"Acme Tea 周报 {LABEL}"}[language]
    assert message["Subject"] == expected_subject
    text, html, images = _parts(message)

    referenced = set(re.findall(r'src="cid:([^"]+)"', html))
    assert referenced == set(images) == {"commerce-net-sales", "channel-spend"}
    assert all(png.startswith(b"\x89PNG") for png in images.values())

    for line in EXPECTED[language]:
        assert line in text
        label, _, rest = line.partition(": ")
        figure = rest.split("  (")[0]
        change = rest.split(" ")[-1].rstrip(")")
        assert label in html and f">{figure}<" in html and change in html
    assert "nan" not in text.lower() and "nan" not in html.lower()
    assert ("Weekly review" if language == "en" else "数据复盘") in html


def test_campaigns_ranked_over_the_whole_week(tmp_path, smtp_inbox: Inbox):
    _send(tmp_path)
    text, _html, _images = _parts(smtp_inbox.messages()[0])
    top = text.split("Top campaigns by platform ROAS:")[1].split("Bottom")[0]
    # Alpha's two days this week: (6,000 + 3,000) / (1,500 + 500) = 4.50; the week before does not count.
    assert re.findall(r"- (\w+) \|", top) == ["Alpha", "Gamma"]
    assert "- Alpha | meta | ¥2k | 4.50" in top
    bottom = text.split("Bottom campaigns by platform ROAS:")[1]
    assert re.findall(r"- (\w+) \|", bottom.split("\n\n")[0]) == ["Beta"]


def test_trend_is_eight_weekly_sums_ending_with_the_week(tmp_path):
    serving = weekly_serving(tmp_path / "serving.duckdb")
    buckets = WEEK.trend()
    assert len(buckets) == 8 and buckets[-1] == WEEK and buckets[0].start == date(2026, 9, 28)
    con = duckdb.connect(str(serving), read_only=True)
    try:
        net = trend_values(con, "sales_daily", "order_date", "net_sales", buckets)
        spend = trend_values(con, "ad_performance_daily", "date_day", "spend", buckets)
    finally:
        con.close()
    assert net == [None, 900.0, None, None, None, None, 9000.0, 13000.0]
    assert spend == [1000.0, None, None, None, None, None, 2000.0, 5000.0]


def test_once_per_week_unless_forced_and_apart_from_the_daily_brief(tmp_path, smtp_inbox: Inbox):
    serving = weekly_serving(tmp_path / "serving.duckdb")
    first = _send(tmp_path, serving=serving)
    later_that_week = _send(tmp_path, serving=serving, now=datetime(2026, 11, 26, 3, 0, tzinfo=UTC))
    assert later_that_week == {**first, "status": "already_sent"}
    assert len(smtp_inbox.envelopes) == 1
    forced = _send(tmp_path, serving=serving, force=True)
    assert forced["status"] == "sent" and forced["message_id"] != first["message_id"]
    daily = run_daily_brief(
        now=NOW, config=make_config(), serving=serving, ledger=SendLedger(tmp_path / "email" / "sent.json")
    )
    assert daily["status"] == "sent" and daily["kind"] == "daily_brief"  # the same Sunday, its own ledger kind
    assert len(smtp_inbox.envelopes) == 3
    sends = SendLedger(tmp_path / "email" / "sent.json").sends()
    assert [(s["kind"], s["period"]) for s in sends] == [("weekly", WEEK.key)] * 2 + [("daily_brief", "2026-11-22")]


def test_an_empty_week_says_so(tmp_path, smtp_inbox: Inbox):
    serving = weekly_serving(tmp_path / "serving.duckdb", sales=SALES_ROWS[:4])  # no sales in the week
    _send(tmp_path, serving=serving)
    text, html, _images = _parts(smtp_inbox.messages()[0])
    assert f"No sales data for {LABEL}." in text and f"No sales data for {LABEL}." in html
    assert "MER (net sales / spend): —" in text and "Spend: ¥5k" in text


def test_unpublished_sunday_alerts_once(tmp_path, smtp_inbox: Inbox):
    serving = weekly_serving(tmp_path / "serving.duckdb", published_through=date(2026, 11, 21))
    result = _send(tmp_path, serving=serving)
    assert result["kind"] == "data_delayed" and result["period"] == WEEK.key
    (envelope,) = smtp_inbox.envelopes
    assert envelope.rcpt_tos == ["data@acme.test"]
    (message,) = smtp_inbox.messages()
    assert LABEL in message["Subject"] and "2026-11-21" in message.get_content()
    assert _send(tmp_path, serving=serving)["status"] == "already_sent"
    assert len(smtp_inbox.envelopes) == 1


def test_the_weekly_dag_file_parses_without_heavy_imports_and_keeps_its_schedule_in_constants():
    dag_file = REPO_ROOT / "dags" / "marketing_weekly_review.py"
    heavy = ("duckdb", "matplotlib", "css_inline", "pandas", "requests", "warehouse.summary_email")
    probe = (
        "import sys, runpy, json; g = runpy.run_path(%r); "
        "print(json.dumps([g['WEEKDAY'], g['HOUR'], g['TIMEZONE']])); "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(%r))))"
    ) % (str(dag_file), heavy)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    *_, schedule, imported = out.stdout.strip().splitlines()
    assert schedule == '["mon", 9, "Asia/Shanghai"]'
    assert imported == "[]"

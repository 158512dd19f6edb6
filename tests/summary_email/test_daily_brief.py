"""The daily brief through the real send path into a real SMTP server, on a serving file built by hand.

Expected figures (see ``conftest``): on 2026-11-30 GMV 15,000, net sales 14,000, 50 orders (AOV 300),
30 new customers; the day before GMV 10,000, net 9,000, 40 orders, 20 new; a year before GMV 2,000,
net 1,900, 10 orders, 5 new. Ads: spend 4,000 (day before 2,000), platform value 12,000 (4,000),
conversions 20 (8): ROAS 3.00 (+50%), CPA 200 (−20%), MER 14,000 / 4,000 = 3.50 (vs 4.50: −22.2%).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import duckdb
import pytest
from airflow.sdk.exceptions import AirflowFailException

from tests.summary_email.conftest import DAY, SALES_ROWS, Inbox, make_config, write_serving
from warehouse.failures import run_step
from warehouse.pipeline import load_and_validate_raw
from warehouse.summary_email.brief import run_daily_brief
from warehouse.summary_email.ledger import SendLedger

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai: the brief covers 2026-11-30

EXPECTED = {
    "en": [
        "GMV: ¥15k  (vs previous day +50.0%, vs last year +650%)",
        "Net sales: ¥14k  (vs previous day +55.6%, vs last year +637%)",
        "Orders: 50  (vs previous day +25.0%, vs last year +400%)",
        "AOV: ¥300.00  (vs previous day +20.0%, vs last year +50.0%)",
        "New customers: 30  (vs previous day +50.0%, vs last year +500%)",
        "Spend: ¥4k  (vs previous day +100%)",
        "MER (net sales / spend): 3.50  (vs previous day −22.2%)",
        "Platform ROAS: 3.00  (vs previous day +50.0%)",
        "CPA (platform conversions): ¥200.00  (vs previous day −20.0%)",
    ],
    "zh-CN": [
        "GMV: ¥1.5万  (环比 +50.0%, 同比 +650%)",
        "净销售额: ¥1.4万  (环比 +55.6%, 同比 +637%)",
        "订单数: 50  (环比 +25.0%, 同比 +400%)",
        "客单价: ¥300.00  (环比 +20.0%, 同比 +50.0%)",
        "新客数: 30  (环比 +50.0%, 同比 +500%)",
        "花费: ¥4,000.00  (环比 +100%)",
        "MER（净销售额 / 花费）: 3.50  (环比 −22.2%)",
        "平台 ROAS: 3.00  (环比 +50.0%)",
        "CPA（平台转化）: ¥200.00  (环比 −20.0%)",
    ],
}


def _parts(message: EmailMessage) -> tuple[str, str, dict[str, bytes]]:
    assert message.get_content_type() == "multipart/alternative"
    text_part, related = list(message.iter_parts())
    assert text_part.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, *images = list(related.iter_parts())
    assert html_part.get_content_type() == "text/html"
    attached = {}
    for image in images:
        assert image.get_content_type() == "image/png"
        attached[image["Content-ID"].strip("<>")] = image.get_content()
    return text_part.get_content(), html_part.get_content(), attached


def _send(tmp_path: Path, language: str = "en", **kwargs) -> dict:
    return run_daily_brief(
        now=NOW,
        config=make_config(language=language),
        serving=kwargs.pop("serving", None) or write_serving(tmp_path / "serving.duckdb"),
        ledger=SendLedger(tmp_path / "email" / "sent.json"),
        **kwargs,
    )


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_brief_arrives_with_the_hand_computed_figures_in_both_parts(tmp_path, smtp_inbox: Inbox, language):
    result = _send(tmp_path, language)
    assert result["status"] == "sent" and result["period"] == DAY.isoformat()
    (envelope,) = smtp_inbox.envelopes
    assert sorted(envelope.rcpt_tos) == ["ceo@acme.test", "growth@acme.test"]
    (message,) = smtp_inbox.messages()
    assert "Acme Tea" in message["Subject"] and "2026-11-30" in message["Subject"]
    assert message["Message-ID"] == result["message_id"]
    text, html, images = _parts(message)

    referenced = set(re.findall(r'src="cid:([^"]+)"', html))
    assert referenced and referenced == set(images)
    assert all(png.startswith(b"\x89PNG") for png in images.values())

    for line in EXPECTED[language]:
        assert line in text
        label, _, rest = line.partition(": ")
        figure = rest.split("  (")[0]
        assert label in html and f">{figure}<" in html  # the same figure in the HTML tile
    assert "nan" not in text.lower() and "nan" not in html.lower()
    assert "<style" not in html and 'style="' in html  # css inlined for mail clients


def test_campaigns_ranked_by_ratio_of_sums_top_and_bottom(tmp_path, smtp_inbox: Inbox):
    _send(tmp_path)
    text, _html, _images = _parts(smtp_inbox.messages()[0])
    top = text.split("Top campaigns by platform ROAS:")[1].split("Bottom")[0]
    # Gamma's two ads: (0 + 3,000) / (500 + 500) = 3.00, not the mean of 0 and 6; Delta spent nothing.
    assert re.findall(r"- (\w+) \|", top) == ["Alpha", "Gamma"]
    assert "- Gamma | meta | ¥1k | 3.00" in top
    bottom = text.split("Bottom campaigns by platform ROAS:")[1]
    assert re.findall(r"- (\w+) \|", bottom.split("\n\n")[0]) == ["Beta"]
    assert "Delta" not in text


def test_an_empty_mart_for_the_day_says_so(tmp_path, smtp_inbox: Inbox):
    serving = write_serving(tmp_path / "serving.duckdb", sales=SALES_ROWS[:2])  # every day but the brief's
    _send(tmp_path, serving=serving)
    text, html, _images = _parts(smtp_inbox.messages()[0])
    assert "No sales data for 2026-11-30." in text and "No sales data for 2026-11-30." in html
    assert "MER (net sales / spend): —" in text  # no net sales: MER is missing, not 0 and not an error
    assert "Spend: ¥4k" in text


def test_a_second_send_of_the_same_day_sends_nothing_unless_forced(tmp_path, smtp_inbox: Inbox):
    serving = write_serving(tmp_path / "serving.duckdb")
    first = _send(tmp_path, serving=serving)
    again = _send(tmp_path, serving=serving)
    assert again == {**first, "status": "already_sent"}
    assert len(smtp_inbox.envelopes) == 1
    forced = _send(tmp_path, serving=serving, force=True)
    assert forced["status"] == "sent" and forced["message_id"] != first["message_id"]
    assert len(smtp_inbox.envelopes) == 2
    sends = SendLedger(tmp_path / "email" / "sent.json").sends()
    assert [(s["kind"], s["period"]) for s in sends] == [("daily_brief", "2026-11-30")] * 2


def test_unpublished_day_alerts_once_naming_the_last_published_day(tmp_path, var_dir, smtp_inbox: Inbox):
    serving = write_serving(tmp_path / "serving.duckdb", published_through=DAY.replace(day=29))
    result = _send(tmp_path, serving=serving)
    assert result["status"] == "sent" and result["kind"] == "data_delayed"
    (envelope,) = smtp_inbox.envelopes
    assert envelope.rcpt_tos == ["data@acme.test"]
    (message,) = smtp_inbox.messages()
    assert message.get_content_type() == "text/plain"
    assert "2026-11-30" in message["Subject"] and "2026-11-29" in message.get_content()
    assert "No run has failed since that publication" in message.get_content()
    assert _send(tmp_path, serving=serving)["status"] == "already_sent"
    assert len(smtp_inbox.envelopes) == 1


def test_the_alert_names_the_stage_that_failed_after_the_last_publication(tmp_path, var_dir, smtp_inbox: Inbox):
    serving = write_serving(tmp_path / "serving.duckdb", published_through=DAY.replace(day=29))
    broken = var_dir / "landing" / "manifest.json"
    broken.parent.mkdir(parents=True)
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(AirflowFailException, match="manifest_readable"):
        run_step(load_and_validate_raw, [str(broken)])  # the DAG's load task, as Airflow runs it
    _send(tmp_path, serving=serving)
    body = smtp_inbox.messages()[0].get_content()
    assert "Failed stage: load and validate raw. LoadError:" in body and "rule=manifest_readable" in body
    assert "No run has failed" not in body


def test_no_serving_file_yet_is_a_delay_too(tmp_path, smtp_inbox: Inbox):
    result = _send(tmp_path, serving=tmp_path / "missing.duckdb")
    assert result["kind"] == "data_delayed"
    assert "Last published day: never." in smtp_inbox.messages()[0].get_content()


def serving_with_a_second_account(tmp_path: Path, account: str, zone: str) -> Path:
    """The brief's serving file, published 2026-12-01 02:00 UTC, plus ``account`` in ``zone`` with a row on
    2026-11-29 only (spend 1,000, conversion value 500); act_1 is in Shanghai."""
    serving = write_serving(tmp_path / "serving.duckdb")
    with duckdb.connect(str(serving)) as con:
        con.execute("alter table marts.ad_performance_daily add column account_timezone varchar")
        con.execute("update marts.ad_performance_daily set account_timezone = 'Asia/Shanghai'")
        con.execute(
            "insert into marts.ad_performance_daily values ('2026-11-29', 'meta', $account, 'c9', 'Second', "
            "'a9', 1000, 2, 500, $zone)",
            {"account": account, "zone": zone},
        )
        con.execute("update _pipeline.publication set published_at = '2026-12-01 02:00:00+00'")
    return serving


def test_an_account_whose_day_is_not_over_is_named_and_left_out_of_both_days(tmp_path, smtp_inbox: Inbox):
    # Published 2026-12-01 02:00 UTC: 2026-11-30 is over in Shanghai (act_1) but not in Los Angeles (act_la,
    # until 08:00 UTC), so act_la's 2026-11-29 (spend 1,000, value 500) must not be compared with nothing.
    serving = serving_with_a_second_account(tmp_path, "act_la", "America/Los_Angeles")
    _send(tmp_path, serving=serving)
    text, html, _images = _parts(smtp_inbox.messages()[0])
    # Like for like: 4,000 against act_1's 2,000 (+100%), not against 3,000 (+33.3%).
    assert "Spend: ¥4k  (vs previous day +100%)" in text
    assert "Platform ROAS: 3.00  (vs previous day +50.0%)" in text
    assert "MER (net sales / spend): —" in text  # whole-day net sales over part of the spend would mislead
    note = (
        "Not complete yet for 2026-11-30 in the account's own time zone, left out of the tiles and tables: meta act_la."
    )
    assert note in text and "meta act_la" in html


def test_an_account_that_simply_spent_nothing_on_the_day_is_not_pending(tmp_path, smtp_inbox: Inbox):
    serving = serving_with_a_second_account(tmp_path, "act_sh", "Asia/Shanghai")
    _send(tmp_path, serving=serving)
    text = _parts(smtp_inbox.messages()[0])[0]
    assert "Spend: ¥4k  (vs previous day +33.3%)" in text and "Not complete yet" not in text

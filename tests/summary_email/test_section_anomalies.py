"""The delivery-anomalies section on a hand-built campaign_delivery_anomalies mart, as the email shows it.

On 2026-11-30 two campaign-days are flagged (Alpha: a spend spike of 8,000 against a usual 2,000; Beta:
conversions stopped while clicks continue and CTR collapse, 1,000 against 1,200); Gamma is judged and not
flagged; a flag on the day before belongs to another day's brief but to the week's review.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.summary_email.conftest import DAY, make_config, write_serving
from warehouse.summary_email.model import Period
from warehouse.summary_email.render import section_view
from warehouse.summary_email.sections import anomalies

ANOMALY_ROWS = [
    # campaign_name, platform, date_day, is_anomaly, anomaly_reasons, spend, spend_baseline
    ("Alpha", "meta", DAY, True, "spend spike", 8000, 2000),
    ("Beta", "tiktok", DAY, True, "CTR collapse, conversions stopped while clicks continue", 1000, 1200),
    ("Gamma", "meta", DAY, False, None, 500, 480),
    ("Alpha", "meta", date(2026, 11, 29), True, "zero delivery", 0, 2000),
]


def with_anomalies(path: Path, rows: list[tuple] = ANOMALY_ROWS) -> Path:
    write_serving(path)
    con = duckdb.connect(str(path))
    con.execute(
        "create table marts.campaign_delivery_anomalies (campaign_name varchar, platform varchar, date_day date, "
        "is_anomaly boolean, anomaly_reasons varchar, spend decimal(18,4), spend_baseline decimal(18,4))"
    )
    con.executemany("insert into marts.campaign_delivery_anomalies values (?, ?, ?, ?, ?, ?, ?)", rows)
    con.close()
    return path


def build(path: Path, period: Period, language: str = "en") -> dict:
    config = make_config(language=language)
    con = duckdb.connect(str(path), read_only=True)
    try:
        return section_view(anomalies.build(con, period, config), config)
    finally:
        con.close()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                ["Alpha", "meta", "2026-11-30", "spend spike", "¥8k", "¥2k"],
                ["Beta", "tiktok", "2026-11-30", "CTR collapse, conversions stopped while clicks continue", "¥1k",
                 "¥1.2k"],
            ],
        ),
        (
            "zh-CN",
            [
                ["Alpha", "meta", "2026-11-30", "花费激增", "¥8,000.00", "¥2,000.00"],
                ["Beta", "tiktok", "2026-11-30", "点击率骤降、有点击无转化（疑似转化追踪中断）", "¥1,000.00",
                 "¥1,200.00"],
            ],
        ),
    ],
)  # fmt: skip
def test_the_days_flags_with_their_reasons_largest_spend_first(tmp_path: Path, language: str, expected) -> None:
    view = build(with_anomalies(tmp_path / "serving.duckdb"), Period.day(DAY), language)
    (table,) = view["tables"]
    assert table["rows"] == expected


def test_a_longer_period_lists_every_flagged_day(tmp_path: Path) -> None:
    view = build(with_anomalies(tmp_path / "serving.duckdb"), Period(date(2026, 11, 24), DAY, "weekly"))
    (table,) = view["tables"]
    assert [(row[0], row[2], row[3]) for row in table["rows"]] == [
        ("Alpha", "2026-11-30", "spend spike"),
        ("Beta", "2026-11-30", "CTR collapse, conversions stopped while clicks continue"),
        ("Alpha", "2026-11-29", "zero delivery"),
    ]


def test_a_quiet_day_says_nothing_was_flagged_and_a_missing_mart_says_no_data(tmp_path: Path) -> None:
    quiet = build(with_anomalies(tmp_path / "serving.duckdb"), Period.day(date(2026, 11, 28)))
    assert quiet["tables"] == [] and quiet["empty_note"] is None
    assert quiet["notes"] == ["No campaign was flagged for 2026-11-28."]
    missing = build(write_serving(tmp_path / "no_mart.duckdb"), Period.day(DAY))
    assert missing["empty_note"] == "No delivery anomaly data for 2026-11-30."

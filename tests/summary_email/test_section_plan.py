"""The media-plan section on a hand-built media_plan_pacing mart, formatted as the email shows it.

As of 2026-11-30 (30 of 30 days): Meta Ads, budget 30,000, expected 30,000, spent 29,000 → pacing 96.7%,
projected 29,000, ROAS achievement 1.2 (120%), CPA achievement 0.8 (80.0%); Google Ads, budget 6,000,
spent 6,600 → 110%, projected 6,600. All planned channels: 35,600 / 36,000 = 98.9%. The Meta campaign line,
the day before and December's line are not what the section shows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.summary_email.conftest import DAY, make_config, write_serving
from warehouse.summary_email.model import Period
from warehouse.summary_email.render import section_view
from warehouse.summary_email.sections import plan

PACING_ROWS = [
    # month, channel, campaign_id, date_day, budget, expected, spend_to_date, projected, roas_ach, cpa_ach
    (date(2026, 11, 1), "Meta Ads", None, date(2026, 11, 29), 30000, 29000, 28000, 28965.5, 1.1, 0.7),
    (date(2026, 11, 1), "Meta Ads", None, DAY, 30000, 30000, 29000, 29000, 1.2, 0.8),
    (date(2026, 11, 1), "Meta Ads", "c1", DAY, 10000, 10000, 5000, 5000, 2.0, 2.0),
    (date(2026, 11, 1), "Google Ads", None, DAY, 6000, 6000, 6600, 6600, None, None),
    (date(2026, 12, 1), "Meta Ads", None, date(2026, 12, 1), 31000, 1000, 500, 15500, 1.0, 1.0),
]


def with_pacing(path: Path) -> Path:
    write_serving(path)
    con = duckdb.connect(str(path))
    con.execute(
        "create table marts.media_plan_pacing (month date, channel varchar, campaign_id varchar, date_day date, "
        "budget decimal(18,4), expected_spend_to_date decimal(18,4), spend_to_date decimal(18,4), "
        "projected_month_spend double, roas_achievement double, cpa_achievement double)"
    )
    con.executemany("insert into marts.media_plan_pacing values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", PACING_ROWS)
    con.close()
    return path


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                ["Meta Ads", "¥30k", "¥29k", "96.7%", "¥29k"],
                ["Google Ads", "¥6k", "¥6.6k", "110%", "¥6.6k"],
                ["All planned channels", "¥36k", "¥35.6k", "98.9%", "¥35.6k"],
            ],
        ),
        (
            "zh-CN",
            [
                ["Meta Ads", "¥3万", "¥2.9万", "96.7%", "¥2.9万"],
                ["Google Ads", "¥6,000.00", "¥6,600.00", "110%", "¥6,600.00"],
                ["全部排期渠道", "¥3.6万", "¥3.6万", "98.9%", "¥3.6万"],
            ],
        ),
    ],
)
def test_each_channel_line_month_to_date_against_the_plan(tmp_path: Path, language: str, expected) -> None:
    config = make_config(language=language)
    con = duckdb.connect(str(with_pacing(tmp_path / "serving.duckdb")), read_only=True)
    try:
        section = plan.build(con, Period.day(DAY), config)
    finally:
        con.close()
    view = section_view(section, config)
    table, targets = view["tables"]
    assert table["rows"] == expected
    assert "2026-11-30" in table["title"]
    # Only lines with a target: Google's plan sets neither ROAS nor CPA.
    assert targets["rows"] == [["Meta Ads", "120%", "80.0%"]]


def test_a_month_without_plan_lines_says_so(tmp_path: Path) -> None:
    config = make_config()
    con = duckdb.connect(str(with_pacing(tmp_path / "serving.duckdb")), read_only=True)
    try:
        october = plan.build(con, Period.day(date(2026, 10, 31)), config)
    finally:
        con.close()
    assert october.empty_note == "No media plan line covers 2026-10."
    con = duckdb.connect(str(write_serving(tmp_path / "no_mart.duckdb")), read_only=True)
    try:
        assert plan.build(con, Period.day(DAY), config).empty_note == "No media plan line covers 2026-11."
    finally:
        con.close()

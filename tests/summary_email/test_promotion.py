"""The weekly review's promotion section on a hand-built promotion_pacing mart.

双11 runs 10-20..11-11 (23 days) on a budget of 1,300,000 and a GMV target of 7,000,000. By its last day it
spent 1,235,000 against 1,300,000 on the straight line (pacing 95%), sold 6,300,000 of GMV (90% of target)
at a MER of 4.5. The review of the week 11-09..11-15 shows those figures (the promotion's last row, not a
row past the week); the week after shows no promotion section at all; a daily brief never has one.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from tests.summary_email.conftest import make_config, write_serving
from warehouse.summary_email.brief import build_sections
from warehouse.summary_email.model import Period
from warehouse.summary_email.promotion import build
from warehouse.summary_email.render import section_view

START, END = date(2026, 10, 20), date(2026, 11, 11)
ROWS = [
    # date_day, day_number, spend_to_date, spend_pacing, gmv_to_date, gmv_achievement, mer_to_date
    (date(2026, 11, 10), 22, 1100000, 1100000 / (1300000 * 22 / 23), 5400000, 5400000 / 7000000, 4.4),
    (END, 23, 1235000, 0.95, 6300000, 0.9, 4.5),
]


def with_promotion(path: Path, *, first_day_with_data: date = START) -> Path:
    write_serving(path)
    con = duckdb.connect(str(path))
    con.execute(
        "create table marts.promotion_pacing (promotion_id varchar, promotion_name varchar, start_date date, "
        "end_date date, date_day date, day_number integer, promotion_days integer, spend_budget decimal(18,4), "
        "spend_to_date decimal(18,4), spend_pacing double, gmv_to_date decimal(18,4), gmv_achievement double, "
        "mer_to_date double, first_day_with_data date, complete_from_start boolean)"
    )
    con.executemany(
        "insert into marts.promotion_pacing "
        "values ('double11_2026', '双11 2026', ?, ?, ?, ?, 23, 1300000, ?, ?, ?, ?, ?, ?, ?)",
        [(START, END, *row, first_day_with_data, first_day_with_data == START) for row in ROWS],
    )
    con.close()
    return path


def test_the_week_a_promotion_ends_shows_it_to_its_last_day_against_budget_and_target(tmp_path: Path) -> None:
    config = make_config(language="en")
    con = duckdb.connect(str(with_promotion(tmp_path / "serving.duckdb")), read_only=True)
    try:
        section = build(con, Period.week(date(2026, 11, 11)), config)
    finally:
        con.close()
    assert section is not None
    spend, sales = section_view(section, config)["tables"]
    assert spend["rows"] == [["双11 2026", "23/23", "¥1.3M", "¥1.2M", "95.0%"]]
    assert sales["rows"] == [["双11 2026", "¥6.3M", "90.0%", "4.50"]]
    assert "2026-11-11" in spend["title"]
    assert len(section.notes) == 1  # how pacing and MER are computed; nothing is missing


def test_a_promotion_that_began_before_the_warehouse_says_where_its_figures_start(tmp_path: Path) -> None:
    config = make_config(language="en")
    path = with_promotion(tmp_path / "serving.duckdb", first_day_with_data=date(2026, 10, 24))
    con = duckdb.connect(str(path), read_only=True)
    try:
        section = build(con, Period.week(date(2026, 11, 11)), config)
    finally:
        con.close()
    assert section is not None
    assert section.notes[1] == (
        "双11 2026: figures from 2026-10-24, the first day the warehouse holds, not from the promotion's start."
    )


def test_only_a_weekly_review_of_a_week_the_promotion_meets_carries_the_section(tmp_path: Path) -> None:
    config = make_config(language="zh-CN")
    con = duckdb.connect(str(with_promotion(tmp_path / "serving.duckdb")), read_only=True)
    try:
        keys = {
            label: [section.key for section in build_sections(con, period, config)]
            for label, period in (
                ("week of 11-11", Period.week(date(2026, 11, 11))),
                ("week after", Period.week(date(2026, 11, 18))),
                ("day of 11-11", Period.day(date(2026, 11, 11))),
            )
        }
    finally:
        con.close()
    assert keys["week of 11-11"][-1] == "promotion"
    assert "promotion" not in keys["week after"]
    assert "promotion" not in keys["day of 11-11"]
    # Without the mart (a warehouse before promotions existed) the review simply has no such section.
    con = duckdb.connect(str(write_serving(tmp_path / "no_mart.duckdb")), read_only=True)
    try:
        assert build(con, Period.week(date(2026, 11, 11)), config) is None
    finally:
        con.close()

"""The content section on hand-built content marts, as the email shows it.

On 2026-11-30 (the brief's day) and the day before:
- wechat_oa gh_1: followers +10, then +25; article p1 (out on 11-29) gains 90,000 views (900 engagements), then
  40,000 (2,000) and crosses the viral threshold on 11-30.
- douyin dy_1: followers −5, then +40; video v2 (out 11-29) gains 1,000 (100), then 6,000 (600); v3 goes out on
  11-30 and gains 300 (30); v1, an old hit first seen on 11-30, is a baseline and gains nothing known.
- xiaohongshu xhs_1 has no audience figures: note n1 gains 2,000 (100), then 8,000 (1,200).
- instagram ig_1 reported 11-29 only: its 11-30 is not over in its time zone.

So 11-30: net follower growth 25 + 40 = 65 (11-29: 10 − 5 = 5), views 40,000 + 6,000 + 300 + 8,000 = 54,300
(11-29: 93,000), engagements 3,830 (1,100), one post gone viral (none), one published (three).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.summary_email.conftest import DAY, make_config, write_serving
from warehouse.summary_email.model import Period
from warehouse.summary_email.render import section_view
from warehouse.summary_email.sections import content

BEFORE = date(2026, 11, 29)
LONG_TITLE = "Autumn launch: the warmth of a cup of tea, and its story"
ACCOUNT_ROWS = [
    # platform, account_id, date_day, net_follower_growth
    ("wechat_oa", "gh_1", BEFORE, 10),
    ("wechat_oa", "gh_1", DAY, 25),
    ("douyin", "dy_1", BEFORE, -5),
    ("douyin", "dy_1", DAY, 40),
    ("instagram", "ig_1", BEFORE, 3),
]
POST_DAY_ROWS = [
    # platform, account_id, post_id, snapshot_date, views, views_gained, engagements_gained, is_baseline, became_viral
    ("wechat_oa", "gh_1", "p1", BEFORE, 90_000, 90_000, 900, False, False),
    ("wechat_oa", "gh_1", "p1", DAY, 130_000, 40_000, 2_000, False, True),
    ("douyin", "dy_1", "v1", DAY, 500_000, None, None, True, False),
    ("douyin", "dy_1", "v2", BEFORE, 1_000, 1_000, 100, False, False),
    ("douyin", "dy_1", "v2", DAY, 7_000, 6_000, 600, False, False),
    ("douyin", "dy_1", "v3", DAY, 300, 300, 30, False, False),
    ("xiaohongshu", "xhs_1", "n1", BEFORE, 2_000, 2_000, 100, False, False),
    ("xiaohongshu", "xhs_1", "n1", DAY, 10_000, 8_000, 1_200, False, False),
]
POST_ROWS = [
    # platform, account_id, post_id, title, published_date_local, views
    ("wechat_oa", "gh_1", "p1", LONG_TITLE, BEFORE, 130_000),
    ("douyin", "dy_1", "v1", "Old hit", date(2026, 9, 1), 500_000),
    ("douyin", "dy_1", "v2", "Tea ceremony", BEFORE, 7_000),
    ("douyin", "dy_1", "v3", None, DAY, 300),
    ("xiaohongshu", "xhs_1", "n1", "Autumn tea notes", BEFORE, 10_000),
]


def with_content(path: Path) -> Path:
    write_serving(path)
    con = duckdb.connect(str(path))
    con.execute(
        "create table marts.social_account_daily (platform varchar, account_id varchar, date_day date, "
        "net_follower_growth bigint)"
    )
    con.executemany("insert into marts.social_account_daily values (?, ?, ?, ?)", ACCOUNT_ROWS)
    con.execute(
        "create table marts.content_post_daily (platform varchar, account_id varchar, post_id varchar, "
        "snapshot_date date, views bigint, views_gained bigint, engagements_gained bigint, is_baseline boolean, "
        "became_viral boolean)"
    )
    con.executemany("insert into marts.content_post_daily values (?, ?, ?, ?, ?, ?, ?, ?, ?)", POST_DAY_ROWS)
    con.execute(
        "create table marts.content_posts (platform varchar, account_id varchar, post_id varchar, title varchar, "
        "published_date_local date, views bigint)"
    )
    con.executemany("insert into marts.content_posts values (?, ?, ?, ?, ?, ?)", POST_ROWS)
    con.close()
    return path


def build(path: Path, period: Period, language: str = "en", **config: object) -> dict:
    settings = make_config(language=language, **config)
    con = duckdb.connect(str(path), read_only=True)
    try:
        return section_view(content.build(con, period, settings), settings)
    finally:
        con.close()


def tiles(view: dict) -> dict[str, tuple[str, str]]:
    return {tile["label"]: (tile["value"], tile["vs_previous"]) for tile in view["tiles"]}


def test_the_days_tiles_sum_every_account_and_compare_with_the_day_before(tmp_path: Path) -> None:
    view = build(with_content(tmp_path / "serving.duckdb"), Period.day(DAY))
    assert tiles(view) == {
        "Net follower growth": ("65", "+1,200%"),  # 65 against 5
        "Post views": ("54.3k", "−41.6%"),  # 54,300 against 93,000
        "Engagement rate": ("7.1%", "+496%"),  # 3,830 / 54,300 against 1,100 / 93,000
        "Posts gone viral": ("1", "—"),  # against none: no ratio
        "Posts published": ("1", "−66.7%"),  # against three
    }
    assert all(tile["vs_last_year"] is None for tile in view["tiles"])  # the marts do not reach a year back


def test_top_posts_by_views_gained_and_the_post_gone_viral(tmp_path: Path) -> None:
    view = build(with_content(tmp_path / "serving.duckdb"), Period.day(DAY), top_posts=3)
    top, viral = view["tables"]
    assert top["rows"] == [
        ["Autumn launch: the warm…", "wechat_oa", "40k", "5.0%"],
        ["Autumn tea notes", "xiaohongshu", "8k", "15.0%"],
        ["Tea ceremony", "douyin", "6k", "10.0%"],
    ]
    assert viral["rows"] == [["Autumn launch: the warm…", "wechat_oa", "2026-11-29", "130k"]]


def test_accounts_short_of_follower_figures_are_named(tmp_path: Path) -> None:
    view = build(with_content(tmp_path / "serving.duckdb"), Period.day(DAY))
    assert view["notes"][-1] == (
        "Follower figures missing for some days, counted only where known: instagram ig_1 (0 of 1 days), "
        "xiaohongshu xhs_1 (0 of 1 days)."
    )


def test_a_week_sums_its_days_and_has_nothing_to_compare_with(tmp_path: Path) -> None:
    view = build(with_content(tmp_path / "serving.duckdb"), Period(date(2026, 11, 24), DAY, "weekly"))
    assert tiles(view) == {
        "Net follower growth": ("73", "—"),  # 10 + 25 − 5 + 40 + 3
        "Post views": ("147.3k", "—"),  # 54,300 + 93,000
        "Engagement rate": ("3.3%", "—"),  # 4,930 / 147,300
        "Posts gone viral": ("1", "—"),
        "Posts published": ("4", "—"),  # the old hit went out long before
    }
    (chart,) = view["charts"]
    assert chart["title"] == "Net follower growth per week, last 8 weeks"


@pytest.mark.parametrize(
    "missing_before",
    [
        "delete from marts.content_post_daily where platform = 'xiaohongshu' and snapshot_date = $d",  # no day
        "delete from marts.social_account_daily where platform = 'douyin' and date_day = $d",  # no followers
    ],
)
def test_an_account_short_of_the_day_before_makes_every_change_unknown(tmp_path: Path, missing_before: str) -> None:
    path = with_content(tmp_path / "serving.duckdb")
    con = duckdb.connect(str(path))
    con.execute(missing_before, {"d": BEFORE})
    con.close()
    view = build(path, Period.day(DAY))
    assert {tile["vs_previous"] for tile in view["tiles"]} == {"—"}
    assert tiles(view)["Net follower growth"][0] == "65"  # the day itself is unchanged


@pytest.mark.parametrize(
    ("language", "expected_tiles", "expected_top"),
    [
        (
            "zh-CN",
            {"粉丝净增": "65", "作品阅读/播放": "5.4万", "互动率": "7.1%", "新增爆款": "1", "发布作品数": "1"},
            ["Autumn launch: the warm…", "wechat_oa", "4万", "5.0%"],
        ),
    ],
)
def test_chinese_words_and_numbers(tmp_path: Path, language: str, expected_tiles: dict, expected_top: list) -> None:
    view = build(with_content(tmp_path / "serving.duckdb"), Period.day(DAY), language)
    assert view["title"] == "内容"
    assert {label: value for label, (value, _) in tiles(view).items()} == expected_tiles
    assert view["tables"][0]["rows"][0] == expected_top
    assert view["notes"][-1] == (
        "部分日期缺少粉丝数据，仅按已有数据计入：instagram ig_1（1 天中有 0 天）、xiaohongshu xhs_1（1 天中有 0 天）。"
    )


def test_no_content_marts_says_so(tmp_path: Path) -> None:
    view = build(write_serving(tmp_path / "serving.duckdb"), Period.day(DAY))
    assert view["empty_note"] == "No content data for 2026-11-30."
    assert view["tiles"] == [] and view["tables"] == []

"""The simulated Instagram account: deterministic, its own ids, the brief's scale (about 0.8 posts a day, median
views about 6k, about 80k followers), formats, captions and the quirks the API shows."""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sandbox.instagram import truth
from sandbox.instagram.world import MIN_VIEWERS_FOR_INSIGHTS, InstagramWorld
from sandbox.world import World
from tests.sources.instagram.helpers import IG_USER

AS_OF = datetime(2026, 11, 23, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[3]
DIGEST_SCRIPT = """
import hashlib, json
from datetime import date
from sandbox.instagram import truth
from sandbox.world import World
ig = World(seed=42).part("instagram")
rows = truth.snapshot_records(ig, "17841405822304914", date(2026, 11, 21), date(2026, 11, 23))
print(hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest())
"""


def digest(rows: object) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def test_same_seed_same_world_in_another_process_and_another_seed_another() -> None:
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # no value may depend on Python's salted hash()
    child = subprocess.run(
        [sys.executable, "-c", DIGEST_SCRIPT], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    rows = truth.snapshot_records(World(seed=42).part("instagram"), IG_USER, date(2026, 11, 21), AS_OF)
    assert child.stdout.strip() == digest(rows) and len(rows) > 5
    assert truth.snapshot_records(World(seed=7).part("instagram"), IG_USER, date(2026, 11, 21), AS_OF) != rows


def test_the_account_is_at_the_briefs_scale(ig: InstagramWorld) -> None:
    posts = [p for p in ig.media(IG_USER, AS_OF) if p.published_at >= AS_OF - timedelta(days=365)]
    assert 0.65 < len(posts) / 365 < 0.95
    old = [p.figures_at(AS_OF).views for p in posts if p.age_days(AS_OF) > 30]
    assert 4_500 < statistics.median(old) < 8_500
    assert 70_000 < truth.followers_count(ig, IG_USER, AS_OF) < 90_000
    assert {p.format for p in posts} == {"image", "carousel", "video", "reel"}


def test_ids_formats_and_captions_look_like_instagrams(ig: InstagramWorld) -> None:
    for post in ig.media(IG_USER, AS_OF)[:60]:
        node = ig.media_node(post, AS_OF)
        assert len(node["id"]) == 17 and node["id"].startswith("179") and ig.post(node["id"]) is post
        assert node["timestamp"].endswith("+0000") and len(node["timestamp"]) == 24
        expected = {"image": ("IMAGE", "FEED"), "carousel": ("CAROUSEL_ALBUM", "FEED"), "video": ("VIDEO", "FEED"),
                    "reel": ("VIDEO", "REELS")}[post.format]  # fmt: skip
        assert (node["media_type"], node["media_product_type"]) == expected
        assert node["permalink"].startswith("https://www.instagram.com/reel/" if post.format == "reel" else
                                            "https://www.instagram.com/p/")  # fmt: skip
        title, tags = node["caption"].split("\n\n")
        assert title == post.title and tags.split(" ") == [f"#{tag}" for tag in post.topics]


def test_insights_grow_with_views_and_reach_never_exceeds_them(ig: InstagramWorld) -> None:
    post = next(p for p in ig.media(IG_USER, AS_OF) if 10 < p.age_days(AS_OF) < 20 and p.purge is None)
    earlier, later = ig.insights(post, AS_OF - timedelta(days=5)), ig.insights(post, AS_OF)
    assert earlier is not None and later is not None
    assert all(earlier[name] <= later[name] for name in later) and earlier["views"] < later["views"]
    assert later["reach"] <= later["views"]
    assert later["total_interactions"] == later["likes"] + later["comments"] + later["shares"] + later["saved"]
    assert later["likes"] == ig.media_node(post, AS_OF)["like_count"]


def test_a_post_minutes_old_has_too_few_viewers_for_insights(ig: InstagramWorld) -> None:
    post = ig.media(IG_USER, AS_OF)[0]
    just_after = post.published_at + timedelta(minutes=5)
    assert post.figures_at(just_after).views < MIN_VIEWERS_FOR_INSIGHTS
    assert ig.insights(post, just_after) is None
    assert truth.post_figures(ig, post, just_after)["views"] is None
    assert truth.post_figures(ig, post, just_after)["likes"] == ig.media_node(post, just_after)["like_count"]


def test_new_followers_per_day_are_the_days_follows_and_served_only_once_out(ig: InstagramWorld) -> None:
    follows = truth.new_followers_by_day(ig, IG_USER, date(2026, 11, 1), date(2026, 11, 22), AS_OF)
    # 2026-11-22 ended at 08:00 UTC on the 23rd in Los Angeles: not out at midnight UTC.
    assert sorted(follows) == [date(2026, 11, 1) + timedelta(days=n) for n in range(21)]
    assert all(value == ig.follower_day(IG_USER, day).follows for day, value in follows.items())
    later = truth.new_followers_by_day(ig, IG_USER, date(2026, 11, 22), date(2026, 11, 22), AS_OF + timedelta(hours=14))
    assert list(later) == [date(2026, 11, 22)]


def test_the_follower_count_is_live_between_the_days_ends(ig: InstagramWorld) -> None:
    day = ig.follower_day(IG_USER, date(2026, 11, 22))
    midnight = datetime(2026, 11, 22, 8, tzinfo=UTC)  # 00:00 in Los Angeles
    assert truth.followers_count(ig, IG_USER, midnight) == day.followers_start
    assert truth.followers_count(ig, IG_USER, midnight + timedelta(hours=24) - timedelta(seconds=1)) in range(
        day.followers_end - 2, day.followers_end + 3
    )
    assert day.followers_start < truth.followers_count(ig, IG_USER, AS_OF) < day.followers_end + 2

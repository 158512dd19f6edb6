"""Instagram's rows of the bad-input table (``tests/test_bad_inputs.py``; machinery in ``tests/bad_input_cases.py``).

Instagram's own traps: counters come from two answers (likes and comments on the media node, views and the rest in
insights, which a media with too few viewers lacks, legitimately, as a whole), timestamps carry ``+0000``, ids are
17-digit strings, and the media types are Graph's enums.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from tests.bad_input_cases import (
    MISSING,
    TYPE,
    Case,
    dropping,
    manifest_row_count,
    records_cut,
    setting,
    twice,
)
from tests.sources.instagram.helpers import IG_USER, media_record

PARTITION = ("media_insights", IG_USER, date(2026, 11, 1), date(2026, 11, 2))
SETTINGS = None  # Instagram's days are Pacific: no account settings are read
SRC = "instagram"
INCOMPLETE = "rule=expect_column_values_to_be_in_set(column=insights_incomplete"


def base() -> dict[str, Any]:
    return media_record()


def no_insights(record: dict) -> None:
    record["insights"] = None
    record["insights_error"] = {"message": "(#10) Not enough viewers for the media to show insights", "code": 10}


CASES = [
    # -- counters from the media node -------------------------------------------------------------------------------
    Case("instagram like_count not a number", SRC, setting("like_count", "many"), (TYPE + "like_count",)),
    Case("instagram like_count 486.5", SRC, setting("like_count", "486.5"), (TYPE + "like_count",)),
    Case("instagram like_count 486.0", SRC, setting("like_count", "486.0"), accepted=("like_count", 486)),
    Case("instagram like_count negative", SRC, setting("like_count", -1), ("column=like_count, min_value=0",)),
    Case("instagram like_count missing", SRC, dropping("like_count"), (MISSING + "like_count",)),
    Case("instagram like_count null", SRC, setting("like_count", None), (MISSING + "like_count",)),
    Case("instagram comments_count missing", SRC, dropping("comments_count"), (MISSING + "comments_count",)),
    # -- counters from insights -------------------------------------------------------------------------------------
    Case("instagram views negative", SRC, setting("insights.views", -5), ("column=views, min_value=0",)),
    Case("instagram views fractional", SRC, setting("insights.views", "9353.5"), (TYPE + "views",)),
    Case("instagram views missing beside the other insights", SRC, dropping("insights.views"), (INCOMPLETE,)),
    Case("instagram saved null beside the other insights", SRC, setting("insights.saved", None), (INCOMPLETE,)),
    Case("instagram insights left out without an error", SRC, dropping("insights"), (INCOMPLETE,)),
    Case("instagram no insights for too few viewers stays null", SRC, no_insights, accepted=("views", None)),
    Case("instagram reach above views", SRC, setting("insights.reach", 10_000), ("column_A=views, column_B=reach",)),
    # -- ids, times, types --------------------------------------------------------------------------------------------
    Case("instagram media id missing", SRC, dropping("id"), ("rule=key_present column=media_id",)),
    Case(
        "instagram media id as a JSON number kept exact",
        SRC,
        setting("id", 17900104800923825),
        accepted=("media_id", "17900104800923825"),
    ),
    Case("instagram media id not digits", SRC, setting("id", "abc_123"), ("column=media_id, regex=^[0-9]+$",)),
    Case(
        "instagram timestamp with another offset read as its instant",
        SRC,
        setting("timestamp", "2026-10-30T21:13:00-0700"),
        accepted=("published_at", datetime(2026, 10, 31, 4, 13, tzinfo=UTC)),
    ),
    Case(
        "instagram timestamp without its offset",
        SRC,
        setting("timestamp", "2026-10-30T04:13:00"),
        (TYPE + "published_at",),
    ),  # fmt: skip
    Case("instagram timestamp as unix seconds", SRC, setting("timestamp", 1793333580), (TYPE + "published_at",)),
    Case("instagram timestamp missing", SRC, dropping("timestamp"), (MISSING + "timestamp",)),
    Case("instagram unknown media_type", SRC, setting("media_type", "STORY_ALBUM"), ("column=media_type, value_set",)),
    Case(
        "instagram unknown media_product_type",
        SRC,
        setting("media_product_type", "IGTV"),
        ("column=media_product_type, value_set",),
    ),
    Case("instagram media_type missing", SRC, dropping("media_type"), (MISSING + "media_type",)),
    Case("instagram caption left out stays null", SRC, dropping("caption"), accepted=("caption", None)),
    Case("instagram permalink left out stays null", SRC, dropping("permalink"), accepted=("permalink", None)),
    Case(
        "instagram Chinese and emoji caption kept verbatim",
        SRC,
        setting("caption", "双11 开箱 🎉\n\n#开箱"),
        accepted=("caption", "双11 开箱 🎉\n\n#开箱"),
    ),
    Case(
        "instagram duplicate media in one snapshot",
        SRC,
        None,
        ("column_list=['account', 'snapshot_date', 'media_id']",),
        records=twice,
    ),
    Case(
        "instagram unknown new field kept in the record",
        SRC,
        setting("media_url", "https://x/y.jpg"),
        accepted=("like_count", 486),
    ),  # fmt: skip
    # -- landings that lie --------------------------------------------------------------------------------------------
    Case(
        "instagram manifest claiming more rows",
        SRC,
        landing=manifest_row_count(5),
        refused=("rule=row_count_matches_manifest",),
    ),  # fmt: skip
    Case("instagram records file cut off", SRC, landing=records_cut, refused=("rule=records_readable",)),
]

PAGE_LIES = [
    ("media_insights", IG_USER, "malformed"),
    ("media_insights", IG_USER, "empty_page"),
    ("follower_count", IG_USER, "malformed"),
]

SERVED_SPOILS = [
    ("media_insights", IG_USER, "fractional_count", ("rule=type_holds column=like_count", ".5'")),
    ("media_insights", IG_USER, "missing_like_count", ("rule=required field missing: like_count:",)),
]  # fmt: skip

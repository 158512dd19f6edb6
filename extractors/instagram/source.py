"""The Instagram source, declared once: its connection, business accounts, lookback, readiness and streams.

Connection ``instagram_graph``: host = the Graph API base URL (``https://graph.facebook.com`` with Facebook Login,
``https://graph.instagram.com`` with Instagram Login), password = the long-lived access token (about 60 days; a
rejected token fails the extraction at once), extra = ``{"ig_user_ids": ["17841405822304914"], "api_version":
"v27.0", "page_size": 100, "max_post_age_days": 30}``, plus ``"token_expires_at": "2027-01-20T00:00:00Z"`` for a
token the client should renew itself (``GET {host}/refresh_access_token``, Instagram Login's renewal) once fewer
than ``refresh_days_before_expiry`` (10) days remain; the renewed token lives in the shared token store.

Instagram's day buckets end at midnight America/Los_Angeles, whatever the account's own zone, so days are cut
there for every account (no settings endpoint is read). Three streams:

- ``media_insights`` (snapshot): every post younger than ``max_post_age_days`` at the end of the snapshot day,
  its IG Media node (``like_count``, ``comments_count``) with its lifetime insights (``views``, ``reach``,
  ``shares``, ``saved``, ...). The API only tells "lifetime so far", so the load keeps one snapshot per day.
- ``follower_count`` (restated window): the account's new followers per day (``follower_count``,
  ``period=day``); Instagram has no unfollows.
- ``account`` (snapshot): ``followers_count`` and ``media_count`` of the user node when the run read it.

A record lands as the API answered it, with two additions the loader needs to type it, both named here: a media
record carries its insights answer keyed by metric under ``insights`` (Graph lists them as ``[{name, values:
[{value}]}]``, which a column path cannot index), or Graph's error under ``insights_error`` when it has none
("(#10) Not enough viewers"); a follower_count record is one ``values`` entry with its metric's ``name`` and
``period`` and the ``day`` its period covers (``end_time`` is the instant the day ended, the next day in UTC).
"""

from extractors.catalog import COUNT, DATE, TEXT, TIMESTAMP, Accounts, Column, LoadStrategy, Readiness, Source, Stream

TIMEZONE = "America/Los_Angeles"

MEDIA_INSIGHTS = Stream(
    name="media_insights",
    description=(
        "Each post younger than the connection's max_post_age_days (30 by default) at the end of the snapshot "
        "day: the IG Media node with its lifetime insights, one row per post and snapshot day."
    ),
    primary_key=("media_id",),
    cursor_field="timestamp",
    partition_column="snapshot_date",
    strategy=LoadStrategy.SNAPSHOT,
    columns=(
        Column("snapshot_date", DATE, "The day the snapshot stands for (the window's last day), set by the loader."),
        # Media ids are 17-digit strings, kept as the text the API sends.
        Column("media_id", TEXT, "IG Media id.", path="id"),
        Column("published_at", TIMESTAMP, "When the media was published (Graph's timestamp, UTC).", path="timestamp"),
        Column("media_type", TEXT, "IMAGE, VIDEO or CAROUSEL_ALBUM."),
        Column("media_product_type", TEXT, "FEED, or REELS for a reel (whose media_type is VIDEO)."),
        # Graph leaves these out for some media (a caption-less post; media flagged for copyright).
        Column("permalink", TEXT, "The media's instagram.com URL.", optional=True),
        Column("caption", TEXT, "The caption: text and #hashtags; absent when the post has none.", optional=True),
        Column("like_count", COUNT, "Likes, from the media node."),
        Column("comments_count", COUNT, "Comments, from the media node."),
        # Absent together, and only, when Graph has no insights for the media (insights_error says why); the
        # raw suite refuses a row that lacks one while carrying the others.
        Column(
            "views",
            COUNT,
            "Lifetime views (the metric that replaced impressions and plays).",
            path="insights.views",
            optional=True,
        ),  # fmt: skip
        Column("reach", COUNT, "Lifetime unique accounts reached.", path="insights.reach", optional=True),
        Column("shares", COUNT, "Lifetime shares.", path="insights.shares", optional=True),
        Column("saved", COUNT, "Lifetime saves.", path="insights.saved", optional=True),
        Column(
            "insights_error",
            TEXT,
            "Graph's message when the media has no insights, e.g. '(#10) Not enough viewers ...'.",
            path="insights_error.message",
            optional=True,
        ),
    ),
    reader="extractors.instagram.client:read_media_insights",
    # Captions are free text a customer's contact can end up in.
    prepare="extractors.pii:scrub_pii",
)

FOLLOWER_COUNT = Stream(
    name="follower_count",
    description=(
        "follower_count with period=day: the account's new followers on each Pacific day (Instagram reports no "
        "unfollows). A day without a value is absent, never 0."
    ),
    primary_key=("day",),
    cursor_field="end_time",
    partition_column="day",
    strategy=LoadStrategy.RESTATED_WINDOW,
    columns=(
        Column("day", DATE, "The America/Los_Angeles day the value covers (added by the reader from end_time)."),
        Column("end_time", TIMESTAMP, "When the day's period ended, as Graph dates the value (UTC)."),
        Column("new_followers", COUNT, "Accounts that started following on the day.", path="value"),
        Column("metric", TEXT, "Always follower_count.", path="name"),
    ),
    reader="extractors.instagram.client:read_follower_count",
)

ACCOUNT = Stream(
    name="account",
    description="The user node's followers_count and media_count, as read by the run after the snapshot day.",
    primary_key=("ig_user_id",),
    cursor_field="followers_count",
    partition_column="snapshot_date",
    strategy=LoadStrategy.SNAPSHOT,
    columns=(
        Column("snapshot_date", DATE, "The day the snapshot stands for (the window's last day), set by the loader."),
        Column("ig_user_id", TEXT, "The Instagram business account's id.", path="id"),
        Column("followers_count", COUNT, "Followers when the run read the node (live, not at the day's end)."),
        Column("media_count", COUNT, "Media the account has when the run read the node."),
    ),
    reader="extractors.instagram.client:read_account",
)

SOURCE = Source(
    name="instagram",
    description="Instagram Graph API (business accounts): post lifetime figures daily, new followers, followers.",
    conn_id="instagram_graph",
    accounts=Accounts(extra_key="ig_user_ids"),
    # follower_count can lag up to 48 h: every run re-reads the three days before the interval.
    lookback_days=3,
    # Day buckets end at midnight Pacific; the sandbox's follower_count is out six hours later, and a day
    # counts as complete at 08:00 the next day there.
    readiness=Readiness(hour=8, timezone=TIMEZONE),
    streams=(MEDIA_INSIGHTS, FOLLOWER_COUNT, ACCOUNT),
    client="extractors.instagram.client:make_client",
    # A version Meta serves today (v24.0 ended 2026-11-10); the connection's extra.api_version overrides it.
    api_version="v27.0",
)

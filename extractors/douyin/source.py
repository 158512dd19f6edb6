"""The Douyin Open Platform source (抖音开放平台, the brand's organic account), declared once: its connection,
account, lookback, readiness and streams. Ads on Douyin are the ``ocean_engine`` source.

Connection ``douyin``: host = the Open Platform's base URL (``https://open.douyin.com`` in production), login = the
developer app's ``client_key``, password = the user's access token (optional: one is fetched with the refresh token
when it is left empty), extra = ``{"open_id": "_000...", "refresh_token": ..., "page_size": 20,
"post_max_age_days": 30}``. A Douyin token is one user's consent to one app, so one connection serves exactly one
account, the ``open_id`` that authorized it.

Tokens: access tokens live 15 days and are refreshed with the refresh token (30 days, not extended by a refresh;
after it a human re-authorizes). The current access token is kept in the pipeline's shared token store
(``extractors.token_store.pipeline_token_store()``) under ``douyin.<16 hex>`` (the connection id plus a fingerprint
of the connection's refresh token), so every task and later run shares one refresh, as Ocean Engine's does.

Readiness: Douyin's data is T+1, refreshed around 10:00 Beijing time, and the account's days are Beijing days.
"""

from extractors.catalog import BOOLEAN, COUNT, DATE, TEXT, Accounts, Column, LoadStrategy, Readiness, Source, Stream

VIDEO_SNAPSHOTS = Stream(
    name="video_snapshots",
    description=(
        "The account's video list (/video/list/) as of the extraction: one row per post younger than "
        "extra.post_max_age_days (30 by default) published by the end of the snapshot day, with its lifetime "
        "counters so far. Douyin reports no save counter."
    ),
    primary_key=("item_id",),
    cursor_field="create_time",
    partition_column="snapshot_date",
    strategy=LoadStrategy.SNAPSHOT,
    columns=(
        Column("snapshot_date", DATE, "The day the snapshot is for (set by the load: the window's last day)."),
        # Encrypted ids ('@' + base64 text): kept as the text the API sends.
        Column("item_id", TEXT, "The video's encrypted item id."),
        Column("title", TEXT, "The title as written, topic tags included as '#tag'."),
        Column("create_time", COUNT, "When the post went out, in unix seconds."),
        Column("media_type", COUNT, "2 an image post (图文), 4 a video.", optional=True),
        Column("is_top", BOOLEAN, "Pinned (置顶): listed first whatever its age.", optional=True),
        Column("play_count", COUNT, "Lifetime plays (visible to the author only).", path="statistics.play_count"),
        Column("digg_count", COUNT, "Lifetime likes (点赞).", path="statistics.digg_count"),
        Column("comment_count", COUNT, "Lifetime comments.", path="statistics.comment_count"),
        Column("share_count", COUNT, "Lifetime shares.", path="statistics.share_count"),
        Column("forward_count", COUNT, "Lifetime forwards (转发).", path="statistics.forward_count", optional=True),
        Column("download_count", COUNT, "Lifetime downloads.", path="statistics.download_count", optional=True),
    ),
    reader="extractors.douyin.client:read_video_snapshots",
    # Titles are free text an author may type a contact into.
    prepare="extractors.pii:scrub_pii",
)

FANS_DAILY = Stream(
    name="fans_daily",
    description=(
        "The account's fans data (/data/external/user/fans/, date_type 30): one row per Beijing day with the "
        "followers at its end and the new followers during it. Unfollows are not in the API."
    ),
    primary_key=("date",),
    cursor_field="date",
    partition_column="date",
    strategy=LoadStrategy.RESTATED_WINDOW,
    # Douyin serves the last 30 days of fans data: a longer initial load starts there.
    history_days=30,
    columns=(
        Column("date", DATE, "The Beijing day."),
        Column("total_fans", COUNT, "Followers at the end of the day."),
        Column("new_fans", COUNT, "New followers during the day."),
    ),
    reader="extractors.douyin.client:read_fans_daily",
)

SOURCE = Source(
    name="douyin",
    description="Douyin Open Platform (抖音开放平台): the brand account's videos and fans.",
    conn_id="douyin",
    accounts=Accounts(extra_key="open_id", many=False),
    # Douyin settles a day's fans figures by the next morning; two days re-read catch a late correction.
    lookback_days=2,
    readiness=Readiness(hour=10, timezone="Asia/Shanghai"),
    streams=(VIDEO_SNAPSHOTS, FANS_DAILY),
    client="extractors.douyin.client:make_client",
)

"""The Bilibili Open Platform source (哔哩哔哩开放平台, the brand's own UP主 account), declared once: its connection,
account, lookback, readiness and streams. The API's shape and what was confirmed of it: ``sandbox/bilibili/server.py``.

Connection ``bilibili``: host = the data API's base URL (``https://member.bilibili.com`` in production; paths start
with ``/arcopen/fn/``), login = the developer app's ``client_id`` (it is also the signature's access key id),
password = the user's access token (optional: one is fetched with the refresh token when it is left empty), extra =
``{"app_secret": ..., "refresh_token": ..., "openid": "<32 hex>", "token_url":
"https://api.bilibili.com/x/account-oauth2/v1/refresh_token", "page_size": 50, "post_max_age_days": 30}``. A token
is one user's consent to one app, so one connection serves exactly one account, the ``openid`` that authorized it
(checked against ``user/account/info`` before each extraction).

Tokens: every request is signed with the app secret (HMAC-SHA256 over the ``x-bili-*`` headers) and carries the
user's access token in an ``access-token`` header. A refresh issues a new access token and a new refresh token and
kills the one it used, so the current pair is kept in the pipeline's shared token store
(``extractors.token_store.pipeline_token_store()``) under ``bilibili.<16 hex>`` (the connection id plus a
fingerprint of the connection's refresh token), as Ocean Engine's is: every task and later run share one refresh.

Both streams are snapshots: the API tells lifetime counters and follower totals *now*, never a past day's. Days are
Beijing days; a snapshot taken after midnight is the previous day's.
"""

from extractors.catalog import COUNT, DATE, TEXT, Accounts, Column, LoadStrategy, Readiness, Source, Stream

ARCHIVE_SNAPSHOTS = Stream(
    name="archive_snapshots",
    description=(
        "The account's archives (稿件, its videos) as of the extraction: one row per video published (审核通过, "
        "开放浏览) on one of the extra.post_max_age_days (30 by default) Beijing days ending with the snapshot day, "
        "its viewlist item with the lifetime counters of data/arc/stat under `stat`."
    ),
    primary_key=("resource_id",),
    cursor_field="ptime",
    partition_column="snapshot_date",
    strategy=LoadStrategy.SNAPSHOT,
    columns=(
        Column("snapshot_date", DATE, "The day the snapshot is for (set by the load: the window's last day)."),
        Column("resource_id", TEXT, "The video's BV id (the Open Platform's resource_id)."),
        Column("title", TEXT, "The title as written."),
        Column("tag", TEXT, "The video's tags, one comma-separated string (may be empty).", optional=True),
        Column("ptime", COUNT, "When the video went out (published), unix seconds."),
        Column("ctime", COUNT, "When it was submitted, unix seconds.", optional=True),
        Column("tid", COUNT, "Its 分区 (category) id.", optional=True),
        Column("duration", COUNT, "Its length in seconds.", path="video_info.duration", optional=True),
        Column("state", COUNT, "Review state (0: 开放浏览, open).", path="addit_info.state", optional=True),
        Column("view_count", COUNT, "Lifetime plays (播放).", path="stat.view"),
        Column("like_count", COUNT, "Lifetime likes (点赞).", path="stat.like"),
        Column("reply_count", COUNT, "Lifetime comments (评论).", path="stat.reply"),
        Column("share_count", COUNT, "Lifetime shares (分享).", path="stat.share"),
        Column("favorite_count", COUNT, "Lifetime favourites (收藏): the saves.", path="stat.favorite"),
        Column("coin_count", COUNT, "Lifetime coins given (投币).", path="stat.coin"),
        Column("danmaku_count", COUNT, "Lifetime bullet comments (弹幕).", path="stat.danmaku"),
    ),
    reader="extractors.bilibili.client:read_archive_snapshots",
    # Titles, tags and descriptions are free text an editor may type a contact into.
    prepare="extractors.pii:scrub_pii",
)

USER_STAT_SNAPSHOTS = Stream(
    name="user_stat_snapshots",
    description=(
        "The account's totals (data/user/stat) as of the extraction: followers (粉丝数), accounts followed and "
        "archives passed. One row per snapshot day; the API has no history and no follows or unfollows."
    ),
    primary_key=("snapshot_date",),
    cursor_field="snapshot_date",
    partition_column="snapshot_date",
    strategy=LoadStrategy.SNAPSHOT,
    columns=(
        Column("snapshot_date", DATE, "The day the snapshot is for (set by the load: the window's last day)."),
        Column("follower_count", COUNT, "Followers (粉丝数) when the snapshot was taken.", path="follower"),
        Column("following_count", COUNT, "Accounts the brand follows (关注数).", path="following", optional=True),
        Column("arc_passed_total", COUNT, "Archives that passed review (投稿数).", optional=True),
    ),
    reader="extractors.bilibili.client:read_user_stat_snapshots",
)

SOURCE = Source(
    name="bilibili",
    description="Bilibili Open Platform (哔哩哔哩开放平台): the brand account's videos and followers.",
    conn_id="bilibili",
    accounts=Accounts(extra_key="openid", many=False),
    # Snapshots tell the state now: re-reading past days would only relabel today's figures.
    lookback_days=0,
    # Counters are live; a Beijing day is over at midnight there.
    readiness=Readiness(hour=0, timezone="Asia/Shanghai"),
    streams=(ARCHIVE_SNAPSHOTS, USER_STAT_SNAPSHOTS),
    client="extractors.bilibili.client:make_client",
    # Not for the zone (Beijing days): confirms the connection's token is the openid's before anything lands.
    account_settings="extractors.bilibili.client:read_account_settings",
)

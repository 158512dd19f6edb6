"""The Xiaohongshu source (小红书), declared once: its connection, account, lookback, readiness and streams.

Xiaohongshu has no public API for organic note analytics; the official ways in are the brand's own 聚光 (Spotlight)
Marketing API and, for paid creator collaborations, 蒲公英 (Pugongying). Both live under one gateway, answer POST
JSON in ``{success, code, msg, data, request_id}`` (HTTP 200 for business errors; gateway refusals come as
``{errorCode, errorMsg}`` instead), and send numbers as JSON numbers or strings.

Connection ``xiaohongshu``: host = the API's base URL (``https://adapi.xiaohongshu.com/api/open`` in production),
login = the developer app's ``app_id``, password = a 聚光 access token (optional: one is fetched with the refresh token
when it is left empty), extra = ``{"secret": <app secret>, "advertiser_id": "6281937450", "refresh_token": <聚光>,
"brand_user_id": <the brand's Xiaohongshu user id>, "pgy_refresh_token": <蒲公英>, "pgy_access_token": <optional>,
"page_size": 1000, "post_max_age_days": 30}``. The account (the extraction's partition) is the 聚光 advertiser; the
brand's Xiaohongshu account is the user id its notes carry (``author_id``) and the one 蒲公英 reports for
(``brand_user_id``, 报备品牌账号): the staging models name the notes' account by it.

Tokens: an authorization is one platform's (``platform_type`` 1 = 聚光, 2 = 蒲公英), so the connection carries two:
the 聚光 one serves ``note_report_daily`` and ``note_list``, the 蒲公英 one ``collaboration_snapshots``, both of the
same app. Access tokens live a few hours and are refreshed at ``/oauth2/refresh_token`` with ``{app_id, secret,
refresh_token}``; every refresh rotates the refresh token (30 days) and kills the old one, so the current pair lives
in the pipeline's shared token store (``extractors.token_store.pipeline_token_store()``) under
``xiaohongshu.jg.<16 hex>`` and ``xiaohongshu.pgy.<16 hex>`` (fingerprints of the connection's refresh tokens), as
Ocean Engine's does: every task and later run uses the rotated pair, and a new authorization put in the connection
starts a new entry.

Readiness: the account's days are Beijing days and the report and 蒲公英's figures are T+1, out by 09:00 Beijing the
next day; two days are re-read on every run to catch a late correction of the report.
"""

from extractors.catalog import COUNT, DATE, MONEY, TEXT, Accounts, Column, LoadStrategy, Readiness, Source, Stream

NOTE_REPORT_DAILY = Stream(
    name="note_report_daily",
    description=(
        "The 聚光 offline report by note and day (/jg/data/report/offline/note, time_unit DAY): one row per brand "
        "note and Beijing day with activity, what the note gained that day. A day without activity has no row; "
        "added up from a note's publish day, the rows give its lifetime figures."
    ),
    primary_key=("note_id", "stat_date"),
    cursor_field="time",
    partition_column="stat_date",
    strategy=LoadStrategy.RESTATED_WINDOW,
    columns=(
        Column("stat_date", DATE, "The report's Beijing day (time).", path="time"),
        # Xiaohongshu ids: 24 hex characters, kept as the text the API sends.
        Column("note_id", TEXT, "The note's id."),
        Column(
            "fee", MONEY, "Boost spend (消费, 薯条 / 聚光 heating) on the note that day, in yuan; 0 without a boost."
        ),
        Column("impressions", COUNT, "Exposures (展现量), organic and paid.", path="impression"),
        Column("clicks", COUNT, "Reads (阅读): the report's click on a note.", path="click"),
        Column("likes", COUNT, "Likes (点赞).", path="like"),
        Column("comments", COUNT, "Comments (评论).", path="comment"),
        Column("collects", COUNT, "Saves (收藏).", path="collect"),
        Column("shares", COUNT, "Shares (分享).", path="share"),
    ),
    reader="extractors.xiaohongshu.client:read_note_report_daily",
)

NOTE_LIST = Stream(
    name="note_list",
    description=(
        "The brand's own notes as the 聚光 note list shows them (/jg/note/list, note_type 1) when extracted: every "
        "note created from the window's start, or from extra.post_max_age_days (30 by default) before the "
        "snapshot day if that is earlier, through the snapshot day, and not deleted: title, body, type, time."
    ),
    primary_key=("note_id",),
    cursor_field="create_time",
    partition_column="snapshot_date",
    strategy=LoadStrategy.SNAPSHOT,
    columns=(
        Column("snapshot_date", DATE, "The day the snapshot is for (set by the load: the window's last day)."),
        Column("note_id", TEXT, "The note's id."),
        Column("title", TEXT, "The note's title as written."),
        Column("note_desc", TEXT, "The body, its topics written '#tag[话题]#'.", path="desc", optional=True),
        Column("note_content_type", COUNT, "1 an image note (图文), 2 a video."),
        Column("create_time", COUNT, "When the note went out, in unix milliseconds."),
        Column("author_id", TEXT, "The author's Xiaohongshu user id: the brand's account."),
        Column("author", TEXT, "The author's nickname.", optional=True),
    ),
    reader="extractors.xiaohongshu.client:read_note_list",
    # Titles and bodies are free text an author may type a contact into.
    prepare="extractors.pii:scrub_pii",
)

COLLABORATION_SNAPSHOTS = Stream(
    name="collaboration_snapshots",
    description=(
        "蒲公英's post-campaign data (投后数据, /pgy/note/post/data, by note publish time) as of the extraction: one "
        "row per creator collaboration whose note went out in the extra.post_max_age_days (30 by default) up to "
        "the snapshot day, with the creator, the price and the note's lifetime figures as of date_key's end."
    ),
    primary_key=("order_id",),
    cursor_field="note_publish_time",
    partition_column="snapshot_date",
    strategy=LoadStrategy.SNAPSHOT,
    columns=(
        Column("snapshot_date", DATE, "The day the snapshot is for (set by the load: the window's last day)."),
        Column("date_key", TEXT, "The day (yyyyMMdd, Beijing) the figures are as of: T+1 data."),
        Column("order_id", TEXT, "The 蒲公英 order id: the collaboration."),
        Column("kol_id", TEXT, "The creator's Xiaohongshu user id."),
        Column("kol_nick_name", TEXT, "The creator's nickname."),
        Column("kol_fan_num", COUNT, "The creator's followers."),
        Column("note_id", TEXT, "The creator's note."),
        Column("note_title", TEXT, "The note's title."),
        Column("note_type", COUNT, "1 an image note (图文), 2 a video.", optional=True),
        Column("note_publish_time", TEXT, "When the note went out: 'yyyy-MM-dd HH:mm:ss' Beijing time, no offset."),
        Column("kol_price", MONEY, "The creator's price (博主报价) in yuan: the collaboration's fee."),
        Column("total_platform_price", MONEY, "蒲公英's service fee in yuan.", optional=True),
        Column("imp_num", COUNT, "Lifetime impressions (曝光量); not reported for every note.", optional=True),
        Column("read_num", COUNT, "Lifetime reads (阅读量)."),
        Column("like_num", COUNT, "Lifetime likes."),
        Column("fav_num", COUNT, "Lifetime saves (收藏)."),
        Column("cmt_num", COUNT, "Lifetime comments."),
        Column("share_num", COUNT, "Lifetime shares."),
        Column("brand_user_id", TEXT, "The brand's Xiaohongshu user id the order was reported for.", optional=True),
    ),
    reader="extractors.xiaohongshu.client:read_collaboration_snapshots",
    # Nicknames and titles are free text.
    prepare="extractors.pii:scrub_pii",
)

SOURCE = Source(
    name="xiaohongshu",
    description="Xiaohongshu (小红书): the brand's notes (聚光 note list, daily note report), 蒲公英 collaborations.",
    conn_id="xiaohongshu",
    accounts=Accounts(extra_key="advertiser_id", many=False),
    # The report's figures for a day can still be corrected the next day; two days re-read catch that.
    lookback_days=2,
    readiness=Readiness(hour=9, timezone="Asia/Shanghai"),
    streams=(NOTE_REPORT_DAILY, NOTE_LIST, COLLABORATION_SNAPSHOTS),
    client="extractors.xiaohongshu.client:make_client",
)

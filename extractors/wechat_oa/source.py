"""The WeChat Official Account source, declared once: its connection, accounts, lookback, readiness and streams.

Connection ``wechat_oa``: host = the API's base URL (``https://api.weixin.qq.com`` in production; the server's IP
must be on the account's whitelist), extra = ``{"appids": ["wx5b1c0e8a3f2d4c61", ...], "app_secrets": {"<appid>":
"<AppSecret>", ...}}``. Every Official Account is its own app (appid + AppSecret, from mp.weixin.qq.com →
设置与开发 → 基本配置); Airflow masks extra keys that say "secret". Access tokens come from ``stable_token``, which
hands every task the same token while it is valid, so parallel tasks do not invalidate each other's.

Days are Beijing days; yesterday's datacube figures are complete only after about 08:00 Beijing time.
"""

from extractors.catalog import COUNT, DATE, JSON, TEXT, Accounts, Column, LoadStrategy, Readiness, Source, Stream

ARTICLE_DAILY_TOTALS = Stream(
    name="article_daily_totals",
    description=(
        "getarticletotaldetail: the articles of each mass-message day with, per day since publish (at most 30), "
        "their cumulative figures up to 24:00 of that day. One record per article and stat_date: the article's "
        "fields with one entry of its detail_list under `detail`."
    ),
    primary_key=("msgid", "stat_date"),
    cursor_field="ref_date",
    partition_column="ref_date",
    # Each (article, day) figure is a fact: a run replaces the ones it brings and keeps the rest, so an article the
    # account deletes (no longer listed) keeps the figures it had, and the marts can flag that it disappeared.
    strategy=LoadStrategy.VERSIONED_APPEND,
    # ref_date is the article's own (its mass-message day), so it adds nothing to the key but what every versioned
    # stream's key holds: its partition column.
    version_key=("msgid", "ref_date", "stat_date"),
    columns=(
        Column("ref_date", DATE, "The mass-message day (群发日), Beijing time."),
        Column("msgid", TEXT, "The article: '<msgid>_<index>', its message and its place in it."),
        Column("title", TEXT, "The article's title.", optional=True),
        Column("publish_type", COUNT, "How it went out (0: a mass message).", optional=True),
        Column("publish_time", COUNT, "When it went out, unix seconds; not every answer has it.", optional=True),
        Column("topic_tags", JSON, "The article's topic tags (话题), a list.", optional=True, json_type="ARRAY"),
        Column("stat_date", DATE, "The day the figures run to (24:00, Beijing).", path="detail.stat_date"),
        Column("read_user", COUNT, "Readers so far (阅读人数): the article's views.", path="detail.read_user"),
        Column("read_count", COUNT, "Reads so far (阅读次数).", path="detail.read_count"),
        Column("share_user", COUNT, "Users who shared it so far.", path="detail.share_user"),
        Column("share_count", COUNT, "Shares so far.", path="detail.share_count"),
        Column("like_user", COUNT, "Likes (点赞) so far.", path="detail.like_user"),
        Column("zaikan_user", COUNT, "'Wow' (在看) so far.", path="detail.zaikan_user"),
        Column("comment_count", COUNT, "Comments (留言) so far.", path="detail.comment_count"),
        Column("collection_user", COUNT, "Users who saved it (收藏) so far.", path="detail.collection_user"),
    ),
    reader="extractors.wechat_oa.client:read_article_daily_totals",
    # Titles are free text an editor may type a contact into.
    prepare="extractors.pii:scrub_pii",
)

USER_SUMMARY = Stream(
    name="user_summary",
    description="getusersummary: per day and follow source (user_source), new followers and unfollows.",
    primary_key=("ref_date", "user_source"),
    cursor_field="ref_date",
    partition_column="ref_date",
    strategy=LoadStrategy.RESTATED_WINDOW,
    columns=(
        Column("ref_date", DATE, "The day, Beijing time."),
        Column("user_source", COUNT, "Where followers came from (0 other, 1 search, 17 card, 30 QR code, 57 article)."),
        Column("new_user", COUNT, "New followers that day from that source."),
        Column("cancel_user", COUNT, "Unfollows that day (WeChat books them under source 0)."),
    ),
    reader="extractors.wechat_oa.client:read_user_summary",
)

USER_CUMULATE = Stream(
    name="user_cumulate",
    description="getusercumulate: the account's followers at the end of each day.",
    primary_key=("ref_date",),
    cursor_field="ref_date",
    partition_column="ref_date",
    strategy=LoadStrategy.RESTATED_WINDOW,
    columns=(
        Column("ref_date", DATE, "The day, Beijing time."),
        Column("cumulate_user", COUNT, "Followers at the end of the day."),
    ),
    reader="extractors.wechat_oa.client:read_user_cumulate",
)

SOURCE = Source(
    name="wechat_oa",
    description="WeChat Official Account (公众号) datacube: articles' daily read figures and followers per day.",
    conn_id="wechat_oa",
    accounts=Accounts(extra_key="appids"),
    # An article's figures keep growing, and getarticletotaldetail covers its first 30 days: every run re-reads
    # the articles of the last 30 mass-message days (the interval's and 29 before it).
    lookback_days=29,
    # Beijing days; yesterday is complete from about 08:00 Beijing time (the datacube's own wording).
    readiness=Readiness(hour=8, timezone="Asia/Shanghai"),
    streams=(ARTICLE_DAILY_TOTALS, USER_SUMMARY, USER_CUMULATE),
    client="extractors.wechat_oa.client:make_client",
)

"""The Ocean Engine (巨量引擎) source, declared once: its connection, advertisers, lookback, readiness and stream.

Connection ``ocean_engine``: host = the Open API's base URL (``https://ad.oceanengine.com`` in production; paths
start with ``/open_api/``), login = the developer app's ``app_id``, password = an access token of the advertisers'
authorization (optional: one is fetched with the refresh token when it is left empty), extra =
``{"app_secret": ..., "refresh_token": ..., "advertiser_ids": ["1768310000000101", ...], "page_size": 1000}``.

Where the token pair is kept: access tokens live 24 h and every refresh also replaces the refresh token (30 days)
and kills the one it used, so the current pair must outlive the task that got it. It is kept in the pipeline's
shared token store (``extractors.token_store.pipeline_token_store()``: ``$MW_TOKEN_DIR``, else
``$MW_VAR_DIR/tokens``, i.e. ``var/tokens``), in ``ocean_engine.<16 hex>.json`` (mode 0600): the connection id
plus a fingerprint (SHA-256, cut) of the refresh token the connection carries. Every task and every later run of
the same connection shares that one file, under its lock, so concurrent advertiser tasks refresh once and the
next run starts from the rotated pair; the connection's tokens only seed an empty file. When a human
re-authorizes and puts the new refresh token in the connection, its fingerprint names a new file, so the new
authorization is used instead of the dead pair.
"""

from extractors.catalog import COUNT, DATE, MONEY, TEXT, Accounts, Column, LoadStrategy, Readiness, Source, Stream

AD_REPORT_DAILY = Stream(
    name="ad_report_daily",
    description=(
        "The v3 custom report (data topic BASIC_DATA) by stat_time_day, project and promotion: one row per "
        "promotion and Beijing day with activity, money in yuan (the advertiser's CNY)."
    ),
    primary_key=("cdp_promotion_id", "stat_time_day"),
    cursor_field="stat_time_day",
    partition_column="stat_time_day",
    strategy=LoadStrategy.RESTATED_WINDOW,
    # Rows carry no currency: every amount is in the advertiser's (CNY), as its settings say.
    activity_date_column="stat_time_day",
    columns=(
        Column("stat_time_day", DATE, "The report's day, in Beijing time.", path="dimensions.stat_time_day"),
        # Ids pass 2^53: kept as the strings the API sends, never parsed as numbers.
        Column("cdp_project_id", TEXT, "Project (项目) id: the campaign level.", path="dimensions.cdp_project_id"),
        Column("cdp_project_name", TEXT, "Project name.", path="dimensions.cdp_project_name", optional=True),
        Column("cdp_promotion_id", TEXT, "Promotion (广告) id: the ad level.", path="dimensions.cdp_promotion_id"),
        Column("cdp_promotion_name", TEXT, "Promotion name.", path="dimensions.cdp_promotion_name", optional=True),
        Column("stat_cost", MONEY, "Cost (消耗) in yuan.", path="metrics.stat_cost"),
        Column("show_cnt", COUNT, "Impressions (展示数).", path="metrics.show_cnt"),
        Column("click_cnt", COUNT, "Clicks (点击数); Ocean Engine counts one kind.", path="metrics.click_cnt"),
        Column("convert_cnt", COUNT, "Conversions (转化数) the platform attributes.", path="metrics.convert_cnt"),
        Column(
            "active_pay_amount",
            MONEY,
            "Pay amount (付费金额) in yuan the platform attributes: the conversion value.",
            path="metrics.active_pay_amount",
        ),
    ),
    reader="extractors.ocean_engine.client:read_ad_report_daily",
    # Project and promotion names are free text an advertiser may type a contact into.
    prepare="extractors.pii:scrub_pii",
)

SOURCE = Source(
    name="ocean_engine",
    description="Ocean Engine (巨量引擎, Douyin ads) Open API: the daily promotion report per advertiser.",
    conn_id="ocean_engine",
    accounts=Accounts(extra_key="advertiser_ids"),
    # Conversions keep being credited to a day for weeks (the sandbox restates them over 28 days), so every run
    # re-fetches the last 28 days and the loader replaces them.
    lookback_days=28,
    # Ocean Engine reports in Beijing time only, and a day's cost keeps moving after midnight (late billing,
    # invalid-traffic deductions): a day counts as complete at 06:00 Beijing time the next day.
    readiness=Readiness(hour=6, timezone="Asia/Shanghai"),
    streams=(AD_REPORT_DAILY,),
    client="extractors.ocean_engine.client:make_client",
    # Checks the advertiser exists on the authorization and says its zone and currency (Beijing, CNY), which
    # the loader's FX check and the ad marts need: report rows carry no currency.
    account_settings="extractors.ocean_engine.client:read_advertiser_settings",
    api_version="v3.0",
)

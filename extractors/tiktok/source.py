"""The TikTok Ads source, declared once: its connection, advertisers, lookback, readiness and stream.

Connection ``tiktok_ads``: host = the Marketing API's base URL (``https://business-api.tiktok.com`` in production;
paths start with ``/open_api/``), password = the long-lived access token of the advertisers' authorization (TikTok
tokens do not expire and have no refresh cycle: revoking the app is what ends one, and a human then puts a new
token here), extra = ``{"advertiser_ids": ["7301940000000000011", ...], "api_version": "v1.3", "page_size": 1000}``.

Records land exactly as the report returns them, ``{"dimensions": {...}, "metrics": {...}}``, and the columns are
typed by dotted path. ``stat_time_day`` arrives as ``"YYYY-MM-DD 00:00:00"``, which the loader's lossless DATE
form (``YYYY-MM-DD``) refuses, so it is kept as TEXT: that fixed form compares as text in date order, so the
loader's window replace and inside-window check work on it, and staging casts it to the date. For the same reason
no ``activity_date_column`` is declared (the loader's FX-rate check would compare that text with rate dates); the
marts' ``fx_rate_is_known`` test covers the rates.
"""

from extractors.catalog import COUNT, MONEY, TEXT, Accounts, Column, LoadStrategy, Readiness, Source, Stream

AD_REPORT_DAILY = Stream(
    name="ad_report_daily",
    description=(
        "The integrated report (report_type BASIC, data_level AUCTION_AD) by ad_id and stat_time_day: one row per "
        "ad and day in the advertiser's time zone with activity, money in the advertiser's currency."
    ),
    primary_key=("ad_id", "stat_time_day"),
    cursor_field="stat_time_day",
    partition_column="stat_time_day",
    strategy=LoadStrategy.RESTATED_WINDOW,
    # Rows carry no currency: every amount is in the advertiser's, as its settings say.
    columns=(
        # Ids are 19-digit strings, past 2^53: kept as the text the API sends, never parsed as numbers.
        Column("ad_id", TEXT, "Ad id.", path="dimensions.ad_id"),
        Column(
            "stat_time_day",
            TEXT,
            "The report's day as TikTok writes it, 'YYYY-MM-DD 00:00:00', in the advertiser's time zone.",
            path="dimensions.stat_time_day",
        ),
        Column("campaign_id", TEXT, "Campaign id (an attribute metric).", path="metrics.campaign_id"),
        Column("campaign_name", TEXT, "Campaign name.", path="metrics.campaign_name", optional=True),
        Column("adgroup_id", TEXT, "Ad group id: the level between campaign and ad.", path="metrics.adgroup_id"),
        Column("adgroup_name", TEXT, "Ad group name.", path="metrics.adgroup_name", optional=True),
        Column("ad_name", TEXT, "Ad name.", path="metrics.ad_name", optional=True),
        Column("spend", MONEY, "Cost in the advertiser's currency (major units).", path="metrics.spend"),
        Column("impressions", COUNT, "Impressions.", path="metrics.impressions"),
        Column(
            "clicks",
            COUNT,
            "Clicks to the ad's destination (TikTok's `clicks`): its one click figure in this report.",
            path="metrics.clicks",
        ),
        Column(
            "conversion",
            COUNT,
            "Conversions of the ad group's optimization event, as TikTok attributes them.",
            path="metrics.conversion",
        ),
        Column(
            "complete_payment",
            COUNT,
            "Complete Payment events (purchases) TikTok attributes to the ad.",
            path="metrics.complete_payment",
        ),
        Column(
            "total_complete_payment_rate",
            MONEY,
            "Total value of those Complete Payment events (TikTok's name for it says rate; it is the value).",
            path="metrics.total_complete_payment_rate",
        ),
    ),
    reader="extractors.tiktok.client:read_ad_report_daily",
    # Campaign, ad group and ad names are free text an advertiser may type a contact into.
    prepare="extractors.pii:scrub_pii",
)

SOURCE = Source(
    name="tiktok",
    description="TikTok Marketing API (TikTok Ads): the integrated daily ad report per advertiser.",
    conn_id="tiktok_ads",
    accounts=Accounts(extra_key="advertiser_ids"),
    # TikTok's default attribution (7-day click, 1-day view) settles a day's conversions within about a week, but
    # the shared sandbox restates purchases over 28 days (sandbox.ad_delivery.RESTATEMENT_DAYS), and an advertiser
    # may choose a 28-day click window: every run re-fetches the last 28 days and the loader replaces them. With
    # the interval's day that is 29 days: one report request (at most 30 days) per advertiser and run.
    lookback_days=28,
    # Days end at midnight in each advertiser's own zone (its settings say which); TikTok's reporting trails
    # delivery by a few hours, so a day counts as complete at 04:00 the next day there.
    readiness=Readiness(hour=4, timezone=None),
    streams=(AD_REPORT_DAILY,),
    client="extractors.tiktok.client:make_client",
    account_settings="extractors.tiktok.client:read_advertiser_settings",
    api_version="v1.3",
)

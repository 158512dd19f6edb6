"""The Meta source, declared once: its connection, accounts, lookback, readiness and streams.

Connection ``meta_ads``: host = Graph API base URL (``https://graph.facebook.com`` in production), password =
access token, extra = ``{"account_ids": ["act_1001", ...], "api_version": "v27.0", "page_size": 500}``.
"""

from extractors.catalog import COUNT, DATE, JSON, MONEY, TEXT, Accounts, Column, LoadStrategy, Readiness, Source, Stream

ADS_INSIGHTS = Stream(
    name="ads_insights",
    description=(
        "Insights at level=ad, time_increment=1: one row per ad and day in the account's time zone, money in "
        "the account's currency."
    ),
    primary_key=("ad_id", "date_start"),
    cursor_field="date_start",
    partition_column="date_start",
    strategy=LoadStrategy.RESTATED_WINDOW,
    currency_column="account_currency",
    activity_date_column="date_start",
    columns=(
        Column("date_start", DATE, "The insight's day, in the account's time zone."),
        Column("date_stop", DATE, "Equals date_start (time_increment=1)."),
        Column("account_id", TEXT, "The account number as the record carries it (without act_)."),
        Column("account_currency", TEXT, "The account's currency (ISO 4217); every money field is in it."),
        Column("campaign_id", TEXT, "Campaign id.", optional=True),
        Column("campaign_name", TEXT, "Campaign name on that day.", optional=True),
        Column("adset_id", TEXT, "Ad set id.", optional=True),
        Column("adset_name", TEXT, "Ad set name on that day.", optional=True),
        Column("ad_id", TEXT, "Ad id."),
        Column("ad_name", TEXT, "Ad name on that day.", optional=True),
        Column("spend", MONEY, "Spend in the account currency."),
        Column("impressions", COUNT, "Impressions."),
        Column("clicks", COUNT, "All clicks (not only link clicks)."),
        Column("inline_link_clicks", COUNT, "Link clicks."),
        # The Graph API leaves the action lists out when there were no actions: absent means none.
        Column("actions", JSON, "Action counts as [{action_type, value}]; absent when there were none.", optional=True),
        Column(
            "action_values",
            JSON,
            "Action values as [{action_type, value}]; absent when there were none.",
            optional=True,
        ),
    ),
    reader="extractors.meta.client:read_ads_insights",
    # Ad and campaign names are free text an advertiser may type a contact into.
    prepare="extractors.pii:scrub_pii",
)

SOURCE = Source(
    name="meta",
    description="Meta Marketing API (Facebook and Instagram ads): ad insights per ad account.",
    conn_id="meta_ads",
    accounts=Accounts(extra_key="account_ids"),
    # Purchases attributed to an ad keep arriving for up to 28 days (the longest attribution window), so
    # every run re-fetches the last 28 days and lets the loader replace them.
    lookback_days=28,
    readiness=Readiness(hour=0, timezone=None),
    streams=(ADS_INSIGHTS,),
    client="extractors.meta.client:make_client",
    account_settings="extractors.meta.client:read_account_settings",
    # A version Meta serves today (v24.0 ended 2026-11-10, v25.0 ends 2027-02-23); the connection's
    # extra.api_version overrides it.
    api_version="v27.0",
)

"""The Google Ads source, declared once: its connection, accounts, lookback, readiness and stream.

Connection ``google_ads`` (production values in brackets):

- host: the API base URL [``https://googleads.googleapis.com``];
- password: the OAuth **refresh token** of the user who authorized the app (the credential a re-authorization
  replaces, so it sits where an error about credentials tells an operator to look);
- extra:
  - ``token_url``: the OAuth token endpoint [``https://oauth2.googleapis.com/token``];
  - ``client_id`` and ``client_secret``: the OAuth client (``client_secret`` is a secret);
  - ``developer_token``: the Google Ads developer token (a secret; sent as the ``developer-token`` header);
  - ``customer_ids``: the accounts, ten digits without dashes (``["6021847395", "7305518264"]``);
  - ``login_customer_id``: optional, the manager (MCC) id the call goes through, digits only;
  - ``api_version`` (default below) and ``days_per_request`` (default 30: one searchStream call per chunk).

Airflow masks extra fields whose names contain "secret" or "token", so none of the three secrets shows in its
UI or logs; this code masks them in its own messages.
"""

from extractors.catalog import COUNT, DATE, MONEY, TEXT, Accounts, Column, LoadStrategy, Readiness, Source, Stream

# The columns are the GAQL query: the reader selects each column's path, turned from the lowerCamelCase the
# answer uses back into GAQL's snake_case (``metrics.costMicros`` -> ``metrics.cost_micros``), so the query
# asks for exactly what the raw table types.
AD_GROUP_AD_DAILY = Stream(
    name="ad_group_ad_daily",
    description=(
        "GAQL FROM ad_group_ad segmented by segments.date: one row per ad (in its ad group) and day in the "
        "customer's time zone, money in the customer's currency (cost in micros). Ads without activity on a "
        "day have no row."
    ),
    # An ad_group_ad is identified by (ad group, ad): its resource name is adGroupAds/{ad_group_id}~{ad_id}.
    primary_key=("ad_group_id", "ad_id", "segments_date"),
    cursor_field="segments.date",
    partition_column="segments_date",
    strategy=LoadStrategy.RESTATED_WINDOW,
    currency_column="currency_code",
    activity_date_column="segments_date",
    columns=(
        Column("segments_date", DATE, "The day, in the customer's time zone.", path="segments.date"),
        Column("customer_id", TEXT, "The customer (account) the row belongs to, digits.", path="customer.id"),
        Column(
            "currency_code", TEXT, "The customer's currency (ISO 4217); cost is in it.", path="customer.currencyCode"
        ),
        Column(
            "customer_time_zone",
            TEXT,
            "The customer's time zone, the one segments.date is in.",
            path="customer.timeZone",
        ),
        Column("campaign_id", TEXT, "Campaign id.", path="campaign.id"),
        Column("campaign_name", TEXT, "Campaign name at extraction time.", path="campaign.name"),
        Column("ad_group_id", TEXT, "Ad group id (the middle level).", path="adGroup.id"),
        Column("ad_group_name", TEXT, "Ad group name at extraction time.", path="adGroup.name"),
        Column("ad_id", TEXT, "Ad id.", path="adGroupAd.ad.id"),
        # Only some ad types carry a name (display and image ads); a responsive search ad has none, and proto3
        # JSON leaves an unset field out, so absent means "this ad has no name".
        Column("ad_name", TEXT, "Ad name; absent for ad types without one.", path="adGroupAd.ad.name", optional=True),
        Column("cost_micros", COUNT, "Cost in millionths of the customer's currency.", path="metrics.costMicros"),
        Column("impressions", COUNT, "Impressions.", path="metrics.impressions"),
        Column("clicks", COUNT, "Clicks (Google reports one click figure).", path="metrics.clicks"),
        # Doubles on the wire. Typed MONEY (4 decimals kept, more refused at load naming the column) because
        # the counts and values Google reports under last-click attribution have at most 2 decimals (values
        # are money in the customer's currency); data-driven attribution can give fractional conversions
        # such as 0.333333, which the raw gate would refuse rather than round: switch the account's
        # conversion actions to a rule-based model, or widen these columns, before loading such data.
        Column(
            "conversions",
            MONEY,
            "Conversions Google attributes to the ad and day (a double).",
            path="metrics.conversions",
        ),
        Column(
            "conversions_value",
            MONEY,
            "Value of those conversions in the customer's currency (a double).",
            path="metrics.conversionsValue",
        ),
    ),
    reader="extractors.google_ads.client:read_ad_group_ad_daily",
    # Campaign, ad group and ad names are free text an advertiser may type a contact into.
    prepare="extractors.pii:scrub_pii",
)

SOURCE = Source(
    name="google_ads",
    description="Google Ads API: ad-level daily performance (GAQL searchStream) per customer.",
    conn_id="google_ads",
    accounts=Accounts(extra_key="customer_ids"),
    # Conversions are credited to the click's day and keep arriving for the conversion window (30 days by
    # default), so every run re-fetches the last 30 days and lets the loader replace them.
    lookback_days=30,
    # Google says a day's statistics are mostly complete about three hours after the day ends in the
    # customer's zone; a run before 03:00 local would land a day still filling in.
    readiness=Readiness(hour=3, timezone=None),
    streams=(AD_GROUP_AD_DAILY,),
    client="extractors.google_ads.client:make_client",
    account_settings="extractors.google_ads.client:read_account_settings",
    # The connection's extra.api_version overrides it (Google retires a version about a year after release).
    api_version="v22",
)

-- Every ad platform in one shape, one row per platform × account × ad × day, money in the account currency,
-- with the time zone the account's days end in (from the account's settings, as its platform reported them).
-- A new platform's staging model carries these columns under these names (macro ad_platform_columns), so it
-- adds one `union all` line below and nothing else.
--   clicks = link clicks where the platform separates them (Meta: inline_link_clicks), per the design;
--   all_clicks = every click the platform counts (Meta's clicks: likes, profile and other clicks too).
--   Required metrics are refused at load when the platform leaves them out, so none is filled in here: a
--   null stays unknown, never 0.
--   campaign / adset / ad = the platform's three levels (Google: campaign / ad group / ad).
--   _window_start / _window_end / _loaded_at = the raw load the row came from (incremental marts rebuild
--   the windows loaded since they were last built).

with

meta_ad_insights as (
    select * from {{ ref('int_meta__ad_insights_conversions') }}
),

account_settings as (
    select * from {{ ref('stg_pipeline__account_settings') }}
),

meta as (
    select
        'meta' as platform,
        account_id,
        account_currency,
        campaign_id,
        campaign_name,
        adset_id,
        adset_name,
        ad_id,
        ad_name,
        date_start as date_day,
        spend as spend_native,
        impressions,
        inline_link_clicks as clicks,
        clicks as all_clicks,
        platform_conversions,
        platform_conversion_value as platform_conversion_value_native,
        _window_start,
        _window_end,
        _loaded_at
    from meta_ad_insights
),

unioned as (
    select {{ ad_platform_columns() }} from meta
    union all select {{ ad_platform_columns() }} from {{ ref('stg_google_ads__ad_group_ad_daily') }}
    union all select {{ ad_platform_columns() }} from {{ ref('stg_ocean_engine__ad_report_daily') }}
    union all select {{ ad_platform_columns() }} from {{ ref('stg_tiktok__ad_report_daily') }}
),

final as (
    select
        unioned.* exclude (account_currency),
        -- TikTok and Ocean Engine rows carry no currency: their money is in the account's, as its settings say.
        coalesce(unioned.account_currency, account_settings.currency) as account_currency,
        account_settings.timezone as account_timezone
    from unioned
    left join account_settings
        on account_settings.source = unioned.platform
        and account_settings.account = unioned.account_id
)

select * from final

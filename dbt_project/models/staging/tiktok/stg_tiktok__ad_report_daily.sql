-- Renames and casts only: the loader typed every column once (extractors/tiktok/source.py declares them), so
-- nothing here parses JSON. The columns of the common ad-platform shape (macro ad_platform_columns) come first,
-- then TikTok's own.
--   The day arrives as 'YYYY-MM-DD 00:00:00' (the advertiser's local midnight, no zone) and is kept as text in
--   raw (the raw suite checks that form); the cast takes its date, the advertiser's local day.
--   Rows carry no currency: account_currency is null and int_ad_insights_unioned takes the advertiser's from its
--   settings.
--   TikTok's `clicks` counts clicks to the ad's destination (link clicks), its one click figure here: clicks and
--   all_clicks are both that figure.
--   Conversions: Complete Payment events (complete_payment) and their value (total_complete_payment_rate, a value
--   despite its name), as TikTok attributes them; `conversion` (the ad group's optimization event) is kept beside.

with

source as (
    select * from {{ source('tiktok', 'ad_report_daily') }}
),

renamed as (
    select
        'tiktok' as platform,
        source.account as account_id,
        cast(null as varchar) as account_currency,
        source.campaign_id,
        source.campaign_name,
        source.adgroup_id as adset_id,
        source.adgroup_name as adset_name,
        source.ad_id,
        source.ad_name,
        cast(source.stat_time_day as date) as date_day,
        source.spend as spend_native,
        source.impressions,
        source.clicks,
        source.clicks as all_clicks,
        cast(source.complete_payment as decimal(18, 4)) as platform_conversions,
        source.total_complete_payment_rate as platform_conversion_value_native,
        source.complete_payment as complete_payments,
        source.conversion as optimization_conversions,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select * from renamed
)

select * from final

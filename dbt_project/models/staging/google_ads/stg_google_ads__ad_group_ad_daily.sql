-- Renames and casts only: the loader typed every column once (extractors/google_ads/source.py declares
-- them), so nothing here parses JSON. The one unit conversion is cost: micros to the currency's units,
-- multiplied by an exact decimal rather than divided (DuckDB divides decimals as doubles), then kept to
-- 4 decimals like every money column; cost_micros stays beside it, exact.

with

source as (
    select * from {{ source('google_ads', 'ad_group_ad_daily') }}
),

renamed as (
    select
        'google_ads' as platform,
        source.account as account_id,
        source.customer_id as google_customer_id,
        source.currency_code as account_currency,
        source.customer_time_zone,
        source.campaign_id,
        source.campaign_name,
        source.ad_group_id as adset_id,
        source.ad_group_name as adset_name,
        source.ad_id,
        source.ad_name,
        source.segments_date as date_day,
        cast(cast(source.cost_micros as decimal(38, 0)) * cast(0.000001 as decimal(7, 6)) as decimal(18, 4))
            as spend_native,
        source.cost_micros,
        source.impressions,
        source.clicks,
        source.clicks as all_clicks,
        source.conversions as platform_conversions,
        source.conversions_value as platform_conversion_value_native,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select * from renamed
)

select * from final

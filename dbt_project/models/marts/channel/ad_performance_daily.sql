-- One row per platform × account × ad × day. Ratios are ratios of the row's own sums (this grain has one
-- row per key, so the sums are the row's values); coarser grains must re-aggregate the sums, never
-- average these ratios.

with

ad_insights as (
    select * from {{ ref('int_ad_insights_in_reporting_currency') }}
),

final as (
    select
        {{ surrogate_key(['platform', 'account_id', 'ad_id', 'date_day']) }} as ad_performance_id,
        platform,
        account_id,
        campaign_id,
        campaign_name,
        adset_id,
        adset_name,
        ad_id,
        ad_name,
        date_day,
        account_currency,
        cast(fx_rate as decimal(18, 8)) as fx_rate,
        cast(spend as decimal(18, 4)) as spend,
        cast(spend_native as decimal(18, 4)) as spend_native,
        cast(impressions as bigint) as impressions,
        cast(clicks as bigint) as clicks,
        cast(platform_conversions as decimal(18, 4)) as platform_conversions,
        cast(platform_conversion_value as decimal(18, 4)) as platform_conversion_value,
        cast(platform_conversion_value_native as decimal(18, 4)) as platform_conversion_value_native,
        {{ ad_efficiency_ratios() }}
    from ad_insights
)

select * from final

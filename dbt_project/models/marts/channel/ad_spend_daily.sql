-- One row per platform × account × day: the ad-level sums added up, and every ratio recomputed from
-- those sums (ratio of sums, never an average of the ad-level ratios).

with

ad_performance as (
    select * from {{ ref('ad_performance_daily') }}
),

summed as (
    select
        platform,
        account_id,
        date_day,
        account_currency,
        max(fx_rate) as fx_rate,
        count(*) as ads_delivering,
        {{ sum_ad_delivery() }}
    from ad_performance
    group by platform, account_id, date_day, account_currency
),

final as (
    select
        {{ surrogate_key(['platform', 'account_id', 'date_day']) }} as ad_spend_daily_id,
        platform,
        account_id,
        date_day,
        account_currency,
        cast(fx_rate as decimal(18, 8)) as fx_rate,
        cast(ads_delivering as bigint) as ads_delivering,
        cast(spend as decimal(18, 4)) as spend,
        cast(spend_native as decimal(18, 4)) as spend_native,
        cast(impressions as bigint) as impressions,
        cast(clicks as bigint) as clicks,
        cast(all_clicks as bigint) as all_clicks,
        cast(platform_conversions as decimal(18, 4)) as platform_conversions,
        cast(platform_conversion_value as decimal(18, 4)) as platform_conversion_value,
        cast(platform_conversion_value_native as decimal(18, 4)) as platform_conversion_value_native,
        {{ ad_efficiency_ratios() }}
    from summed
)

select * from final

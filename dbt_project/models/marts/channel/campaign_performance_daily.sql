-- One row per platform × account × campaign × day (the account's local day), with the campaign's channel.
-- Sums of ad_performance_daily; every ratio recomputed from the sums (ratio of sums).

with

ad_performance as (
    select * from {{ ref('ad_performance_daily') }}
),

platform_channels as (
    select * from {{ ref('int_ad_platform_channels') }}
),

summed as (
    select
        platform,
        account_id,
        campaign_id,
        date_day,
        account_currency,
        account_timezone,
        max(campaign_name) as campaign_name,
        max(fx_rate) as fx_rate,
        count(*) as ads_delivering,
        {{ sum_ad_delivery() }}
    from ad_performance
    group by platform, account_id, campaign_id, date_day, account_currency, account_timezone
),

final as (
    select
        {{ surrogate_key(['summed.platform', 'summed.account_id', 'summed.campaign_id', 'summed.date_day']) }}
            as campaign_performance_id,
        summed.platform,
        coalesce(platform_channels.channel, 'unmapped: ' || summed.platform) as channel,
        coalesce(platform_channels.channel_group, 'unmapped') as channel_group,
        summed.account_id,
        summed.campaign_id,
        summed.campaign_name,
        summed.date_day,
        summed.account_currency,
        summed.account_timezone,
        cast(summed.fx_rate as decimal(18, 8)) as fx_rate,
        cast(summed.ads_delivering as bigint) as ads_delivering,
        cast(summed.spend as decimal(18, 4)) as spend,
        cast(summed.spend_native as decimal(18, 4)) as spend_native,
        cast(summed.impressions as bigint) as impressions,
        cast(summed.clicks as bigint) as clicks,
        cast(summed.all_clicks as bigint) as all_clicks,
        cast(summed.platform_conversions as decimal(18, 4)) as platform_conversions,
        cast(summed.platform_conversion_value as decimal(18, 4)) as platform_conversion_value,
        cast(summed.platform_conversion_value_native as decimal(18, 4)) as platform_conversion_value_native,
        {{ ad_efficiency_ratios() }}
    from summed
    left join platform_channels
        on platform_channels.platform = summed.platform
)

select * from final

-- One row per channel × day, every platform of the channel together, in the reporting currency only (native
-- amounts of different accounts do not add up). The day is each account's own local day: a channel with
-- accounts in several zones adds up days that end at different moments, as the platforms report them.

with

campaign_performance as (
    select * from {{ ref('campaign_performance_daily') }}
),

summed as (
    select
        channel,
        channel_group,
        date_day,
        count(distinct platform) as platforms,
        count(distinct platform || '/' || account_id) as accounts,
        count(*) as campaigns_delivering,
        {{ sum_ad_delivery(native=false) }}
    from campaign_performance
    group by channel, channel_group, date_day
),

final as (
    select
        {{ surrogate_key(['channel', 'date_day']) }} as channel_performance_id,
        channel,
        channel_group,
        date_day,
        cast(platforms as bigint) as platforms,
        cast(accounts as bigint) as accounts,
        cast(campaigns_delivering as bigint) as campaigns_delivering,
        cast(spend as decimal(18, 4)) as spend,
        cast(impressions as bigint) as impressions,
        cast(clicks as bigint) as clicks,
        cast(all_clicks as bigint) as all_clicks,
        cast(platform_conversions as decimal(18, 4)) as platform_conversions,
        cast(platform_conversion_value as decimal(18, 4)) as platform_conversion_value,
        {{ ad_efficiency_ratios() }}
    from summed
)

select * from final

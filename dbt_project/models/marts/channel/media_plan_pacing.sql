-- One row per media-plan line (month × channel, or month × channel × campaign) and day of that month, from
-- the month's first day through the last day with delivery data: the day's delivery, the month to date,
-- and pacing and target achievement against the plan (seeds/media_plan.csv). The row of the last day is the
-- month to date.
--   expected_spend_to_date = budget × days elapsed / days in the month: the plan's spend curve is linear
--     (an even daily budget), the usual default when the plan gives no daily flighting.
--   pacing = spend_to_date / expected_spend_to_date (1 = on plan, above 1 = ahead, below = behind).
--   *_achievement = actual to date / the month's target (目标达成度); for CPA, where lower is better,
--     target_cpa / cpa_to_date, so above 1 always means better than target. Ratios of sums; null when the
--     plan has no target or the denominator is 0.
-- A channel line covers the whole channel (its campaign lines included); a campaign line its campaign only.

with

media_plan as (
    select * from {{ ref('media_plan') }}
),

channel_performance as (
    select * from {{ ref('channel_performance_daily') }}
),

campaign_performance as (
    select * from {{ ref('campaign_performance_daily') }}
),

plan_lines as (
    select
        month,
        cast(month + interval 1 month - interval 1 day as date) as month_end,
        channel,
        campaign_id,
        currency,
        budget,
        target_impressions,
        target_clicks,
        target_conversions,
        target_roas,
        target_cpa
    from media_plan
),

data_through as (
    select max(date_day) as last_day from channel_performance
),

calendar as (
    select cast(generate_series as date) as date_day
    from generate_series(
        cast((select min(month) from plan_lines) as timestamp),
        cast((select max(month_end) from plan_lines) as timestamp),
        interval 1 day
    )
),

plan_days as (
    select
        plan_lines.*,
        calendar.date_day
    from plan_lines
    inner join calendar
        on calendar.date_day between plan_lines.month and plan_lines.month_end
    where calendar.date_day <= (select last_day from data_through)
),

actual_daily as (
    select
        channel,
        cast(null as varchar) as campaign_id,
        date_day,
        spend,
        impressions,
        clicks,
        platform_conversions,
        platform_conversion_value
    from channel_performance
    union all
    select
        channel,
        campaign_id,
        date_day,
        sum(spend) as spend,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(platform_conversions) as platform_conversions,
        sum(platform_conversion_value) as platform_conversion_value
    from campaign_performance
    where campaign_id in (select campaign_id from plan_lines where campaign_id is not null)
    group by channel, campaign_id, date_day
),

daily as (
    select
        plan_days.*,
        coalesce(actual_daily.spend, 0) as spend,
        coalesce(actual_daily.impressions, 0) as impressions,
        coalesce(actual_daily.clicks, 0) as clicks,
        coalesce(actual_daily.platform_conversions, 0) as platform_conversions,
        coalesce(actual_daily.platform_conversion_value, 0) as platform_conversion_value
    from plan_days
    left join actual_daily
        on actual_daily.channel = plan_days.channel
        and actual_daily.campaign_id is not distinct from plan_days.campaign_id
        and actual_daily.date_day = plan_days.date_day
),

to_date as (
    select
        daily.*,
        date_diff('day', month, date_day) + 1 as days_elapsed,
        date_diff('day', month, month_end) + 1 as days_in_month,
        sum(spend) over month_so_far as spend_to_date,
        sum(impressions) over month_so_far as impressions_to_date,
        sum(clicks) over month_so_far as clicks_to_date,
        sum(platform_conversions) over month_so_far as conversions_to_date,
        sum(platform_conversion_value) over month_so_far as conversion_value_to_date
    from daily
    window month_so_far as (partition by month, channel, campaign_id order by date_day)
),

final as (
    select
        {{ surrogate_key(['month', 'channel', 'campaign_id', 'date_day']) }} as media_plan_pacing_id,
        month,
        channel,
        campaign_id,
        date_day,
        cast(days_elapsed as integer) as days_elapsed,
        cast(days_in_month as integer) as days_in_month,
        currency,
        cast(budget as decimal(18, 4)) as budget,
        cast(budget * days_elapsed / days_in_month as decimal(18, 4)) as expected_spend_to_date,
        cast(spend as decimal(18, 4)) as spend,
        cast(spend_to_date as decimal(18, 4)) as spend_to_date,
        cast(budget - spend_to_date as decimal(18, 4)) as budget_remaining,
        {{ safe_divide('spend_to_date * days_in_month', 'budget * days_elapsed') }} as pacing,
        {{ safe_divide('spend_to_date * days_in_month', 'days_elapsed') }} as projected_month_spend,
        {{ safe_divide('spend_to_date', 'budget') }} as spend_achievement,
        cast(impressions_to_date as bigint) as impressions_to_date,
        cast(target_impressions as bigint) as target_impressions,
        {{ safe_divide('impressions_to_date', 'target_impressions') }} as impressions_achievement,
        cast(clicks_to_date as bigint) as clicks_to_date,
        cast(target_clicks as bigint) as target_clicks,
        {{ safe_divide('clicks_to_date', 'target_clicks') }} as clicks_achievement,
        cast(conversions_to_date as decimal(18, 4)) as conversions_to_date,
        cast(target_conversions as decimal(18, 4)) as target_conversions,
        {{ safe_divide('conversions_to_date', 'target_conversions') }} as conversions_achievement,
        cast(conversion_value_to_date as decimal(18, 4)) as conversion_value_to_date,
        {{ safe_divide('conversion_value_to_date', 'spend_to_date') }} as roas_to_date,
        cast(target_roas as decimal(18, 4)) as target_roas,
        {{ safe_divide('conversion_value_to_date', 'spend_to_date * target_roas') }} as roas_achievement,
        {{ safe_divide('spend_to_date', 'conversions_to_date') }} as cpa_to_date,
        cast(target_cpa as decimal(18, 4)) as target_cpa,
        {{ safe_divide('target_cpa * conversions_to_date', 'spend_to_date') }} as cpa_achievement
    from to_date
)

select * from final

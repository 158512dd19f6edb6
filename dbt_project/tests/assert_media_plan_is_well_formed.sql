{{ config(store_failures=true) }}
-- A media plan row a person typed wrong: a month that is not a first day, a budget or target at or below
-- zero, or a campaign row whose channel has no channel row that month. Each failing row is returned.

with

media_plan as (
    select * from {{ ref('media_plan') }}
),

channel_rows as (
    select month, channel from media_plan where campaign_id is null
),

problems as (
    select
        media_plan.month,
        media_plan.channel,
        media_plan.campaign_id,
        case
            when extract(day from media_plan.month) <> 1 then 'month is not the first day of a month'
            when media_plan.budget <= 0 then 'budget is not positive'
            when media_plan.target_impressions <= 0 or media_plan.target_clicks <= 0
                or media_plan.target_conversions <= 0 or media_plan.target_roas <= 0
                or media_plan.target_cpa <= 0 then 'a target is not positive (leave it empty for none)'
            when media_plan.campaign_id is not null and channel_rows.channel is null
                then 'campaign row without its channel row for the month'
        end as problem
    from media_plan
    left join channel_rows
        on channel_rows.month = media_plan.month
        and channel_rows.channel = media_plan.channel
)

select * from problems where problem is not null

-- Meta reports conversions inside the `actions` (counts) and `action_values` (money) lists; the entry
-- whose action_type is var('meta_conversion_action_type') is the platform-reported conversion.
-- An absent list or entry means none that day: 0, not null.

with

ad_insights as (
    select * from {{ ref('stg_meta__ad_insights') }}
),

actions as (
    select
        account_id,
        ad_id,
        date_start,
        unnest(cast(actions as json[])) as action,
    from ad_insights
),

action_values as (
    select
        account_id,
        ad_id,
        date_start,
        unnest(cast(action_values as json[])) as action_value,
    from ad_insights
),

conversions as (
    select
        account_id,
        ad_id,
        date_start,
        sum(cast(action->>'value' as decimal(18, 4))) as platform_conversions,
    from actions
    where action->>'action_type' = '{{ var("meta_conversion_action_type") }}'
    group by all
),

conversion_values as (
    select
        account_id,
        ad_id,
        date_start,
        sum(cast(action_value->>'value' as decimal(18, 4))) as platform_conversion_value,
    from action_values
    where action_value->>'action_type' = '{{ var("meta_conversion_action_type") }}'
    group by all
),

joined as (
    select
        ad_insights.* exclude (actions, action_values),
        cast(coalesce(conversions.platform_conversions, 0) as decimal(18, 4)) as platform_conversions,
        cast(coalesce(conversion_values.platform_conversion_value, 0) as decimal(18, 4))
            as platform_conversion_value,
    from ad_insights
    left join conversions
        on conversions.account_id = ad_insights.account_id
        and conversions.ad_id = ad_insights.ad_id
        and conversions.date_start = ad_insights.date_start
    left join conversion_values
        on conversion_values.account_id = ad_insights.account_id
        and conversion_values.ad_id = ad_insights.ad_id
        and conversion_values.date_start = ad_insights.date_start
),

final as (
    select * from joined
)

select * from final

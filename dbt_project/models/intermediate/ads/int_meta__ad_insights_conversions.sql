-- Meta reports conversions inside the `actions` (counts) and `action_values` (money) lists; the entry
-- whose action_type is var('meta_conversion_action_type') is the platform-reported conversion.
-- An absent list or entry means none that day: 0, not null.

with

ad_insights as (
    select * from {{ ref('stg_meta__ad_insights') }}
),

final as (
    select
        * exclude (actions, action_values),
        {{ sum_json_list('actions', 'action_type', var('meta_conversion_action_type')) }} as platform_conversions,
        {{ sum_json_list('action_values', 'action_type', var('meta_conversion_action_type')) }}
            as platform_conversion_value,
    from ad_insights
)

select * from final

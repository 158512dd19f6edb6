-- The Graph API reports conversions inside the `actions` (counts) and `action_values` (money) lists. The
-- conversion types are var('meta_conversion_action_types') in order of precedence: each row counts the first
-- type it carries (omni_purchase, else purchase, else the pixel's purchase), so one purchase that Meta reports
-- under several names is counted once. Counts and values take their type's precedence independently. An
-- absent list or entry means none that day: 0, not null. The attribution window is the one the extractor
-- asked for (extra.action_attribution_windows; Meta's default 7-day click, 1-day view).

with

ad_insights as (
    select * from {{ ref('stg_meta__ad_insights') }}
),

final as (
    select
        * exclude (actions, action_values),
        {{ sum_json_list_first_of('actions', 'action_type', var('meta_conversion_action_types')) }}
            as platform_conversions,
        {{ sum_json_list_first_of('action_values', 'action_type', var('meta_conversion_action_types')) }}
            as platform_conversion_value,
    from ad_insights
)

select * from final

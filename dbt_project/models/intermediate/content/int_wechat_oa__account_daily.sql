-- The Official Account's audience per Beijing day in the common shape (macro social_account_daily_columns): the
-- follower total from getusercumulate beside the day's follows and unfollows summed over getusersummary's follow
-- sources. A day one of the two streams lacks keeps nulls for its figures (unknown, never 0).

with

cumulates as (
    select * from {{ ref('stg_wechat_oa__user_cumulates') }}
),

summaries as (
    select * from {{ ref('stg_wechat_oa__user_summaries') }}
),

flows as (
    select
        account_id,
        date_day,
        cast(sum(follows) as bigint) as follows,
        cast(sum(unfollows) as bigint) as unfollows,
        min(_window_start) as _window_start,
        max(_window_end) as _window_end,
        max(_loaded_at) as _loaded_at
    from summaries
    group by account_id, date_day
),

final as (
    select
        'wechat_oa' as platform,
        coalesce(cumulates.account_id, flows.account_id) as account_id,
        coalesce(cumulates.date_day, flows.date_day) as date_day,
        cumulates.followers,
        flows.follows,
        flows.unfollows,
        coalesce(cumulates._window_start, flows._window_start) as _window_start,
        coalesce(cumulates._window_end, flows._window_end) as _window_end,
        greatest(cumulates._loaded_at, flows._loaded_at) as _loaded_at
    from cumulates
    full outer join flows
        on cumulates.account_id = flows.account_id
        and cumulates.date_day = flows.date_day
)

select * from final

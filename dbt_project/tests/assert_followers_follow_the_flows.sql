-- Net follower growth (粉丝净增) two ways must agree: where a platform reports followers and both flows, followers
-- at a day's end = the previous day's followers + follows − unfollows. Rows returned are account-days that differ.

with

accounts as (
    select * from {{ ref('int_social_account_daily_unioned') }}
),

with_previous as (
    select
        accounts.*,
        lag(date_day) over (partition by platform, account_id order by date_day) as previous_day,
        lag(followers) over (partition by platform, account_id order by date_day) as previous_followers
    from accounts
),

final as (
    select platform, account_id, date_day, previous_followers, follows, unfollows, followers
    from with_previous
    where previous_day = date_day - 1
        and follows is not null
        and unfollows is not null
        and followers is not null
        and previous_followers is not null
        and followers <> previous_followers + follows - unfollows
)

select * from final

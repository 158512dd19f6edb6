-- One row per organic account and local day: its audience and what its posts did that day.
--   followers = at the day's end; net_follower_growth (粉丝净增) = followers − the previous day's followers, or
--   follows − unfollows where the previous day is not known. unfollows the platform does not report are derived
--   as follows − net growth (unfollows_derived).
--   posts_published = posts that went out that local day; views / engagements = what the account's posts gained
--   that day (content_post_daily, baselines excluded); engagement_rate = engagements / views.

with

accounts as (
    select * from {{ ref('int_social_account_daily_unioned') }}
),

posts as (
    select * from {{ ref('content_posts') }}
),

post_days as (
    select * from {{ ref('content_post_daily') }}
),

published as (
    select platform, account_id, published_date_local as date_day, count(*) as posts_published
    from posts
    where published_date_local is not null
    group by platform, account_id, published_date_local
),

activity as (
    select
        platform,
        account_id,
        snapshot_date as date_day,
        cast(sum(views_gained) as bigint) as views,
        cast(sum(engagements_gained) as bigint) as engagements
    from post_days
    where not is_baseline
    group by platform, account_id, snapshot_date
),

with_previous as (
    select
        accounts.*,
        lag(date_day) over by_account as previous_day,
        lag(followers) over by_account as previous_followers
    from accounts
    window by_account as (partition by platform, account_id order by date_day)
),

growth as (
    select
        with_previous.*,
        case
            when previous_day = date_day - 1 and followers is not null and previous_followers is not null
                then followers - previous_followers
            else follows - unfollows
        end as net_follower_growth
    from with_previous
),

final as (
    select
        growth.platform,
        growth.account_id,
        growth.date_day,
        growth.followers,
        growth.follows,
        coalesce(growth.unfollows, growth.follows - growth.net_follower_growth) as unfollows,
        growth.unfollows is null and growth.follows is not null and growth.net_follower_growth is not null
            as unfollows_derived,
        growth.net_follower_growth,
        coalesce(published.posts_published, 0) as posts_published,
        activity.views,
        activity.engagements,
        {{ safe_divide('activity.engagements', 'activity.views') }} as engagement_rate
    from growth
    left join published
        on growth.platform = published.platform
        and growth.account_id = published.account_id
        and growth.date_day = published.date_day
    left join activity
        on growth.platform = activity.platform
        and growth.account_id = activity.account_id
        and growth.date_day = activity.date_day
)

select * from final

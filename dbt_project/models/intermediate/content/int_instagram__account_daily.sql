-- One row per Instagram account and Pacific day in the common account-day shape (macro
-- social_account_daily_columns): the day's new followers beside the follower count of the account snapshot for
-- that day.
--   followers: followers_count as the run after the day read it (Graph's count is live: it includes the hours of
--   the next day until the read), null on days no snapshot stands for (before the first run, in a backfill).
--   follows: follower_count, null on a day Graph has no value for. unfollows: always null; Graph does not report
--   them (social_account_daily derives them from the followers, approximately, given the live read).

with

new_followers as (
    select * from {{ ref('stg_instagram__follower_counts') }}
),

snapshots as (
    select * from {{ ref('stg_instagram__accounts') }}
),

final as (
    select
        'instagram' as platform,
        coalesce(new_followers.account_id, snapshots.account_id) as account_id,
        coalesce(new_followers.date_day, snapshots.date_day) as date_day,
        snapshots.followers,
        new_followers.follows,
        cast(null as bigint) as unfollows,
        snapshots.media_count,
        coalesce(new_followers._window_start, snapshots._window_start) as _window_start,
        coalesce(new_followers._window_end, snapshots._window_end) as _window_end,
        greatest(new_followers._loaded_at, snapshots._loaded_at) as _loaded_at
    from new_followers
    full outer join snapshots
        on new_followers.account_id = snapshots.account_id
        and new_followers.date_day = snapshots.date_day
)

select * from final

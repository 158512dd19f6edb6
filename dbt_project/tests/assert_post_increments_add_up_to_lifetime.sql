-- Snapshot-to-increment keeps every view: per post, the first snapshot's counters plus what was gained minus what
-- the platform took back equal its latest counters in content_posts. Rows returned are posts that do not add up.

with

daily as (
    select * from {{ ref('content_post_daily') }}
),

posts as (
    select * from {{ ref('content_posts') }}
),

first_snapshots as (
    select platform, post_id, views as first_views, likes as first_likes
    from daily
    where snapshot_date = (
        select min(earlier.snapshot_date) from daily as earlier
        where earlier.platform = daily.platform and earlier.post_id = daily.post_id
    )
),

changes as (
    select
        platform,
        post_id,
        sum(case when snapshot_date > first_snapshot then coalesce(views_gained, 0) - views_removed else 0 end)
            as views_change,
        sum(case when snapshot_date > first_snapshot then coalesce(likes_gained, 0) - likes_removed else 0 end)
            as likes_change
    from (select daily.*, min(snapshot_date) over (partition by platform, post_id) as first_snapshot from daily)
    group by platform, post_id
),

final as (
    select posts.platform, posts.post_id, posts.views, first_views + views_change as views_from_increments
    from posts
    inner join first_snapshots using (platform, post_id)
    inner join changes using (platform, post_id)
    where posts.views is distinct from first_views + views_change
        or posts.likes is distinct from first_likes + likes_change
)

select * from final

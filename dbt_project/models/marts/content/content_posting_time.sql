-- Views and engagement by platform × weekday × hour a post went out (the account's local clock), to show the best
-- hours to post. Lifetime figures of every post with a known publish hour; ratios are ratios of sums:
-- views_per_post = views / posts, engagement_rate = engagements / views, viral_ratio = viral posts / posts.

with

posts as (
    select * from {{ ref('content_posts') }}
),

timed as (
    select
        platform,
        cast(extract(isodow from published_at_local) as integer) as weekday,
        cast(extract(hour from published_at_local) as integer) as hour_of_day,
        views,
        engagements,
        is_viral
    from posts
    where published_at_local is not null
),

final as (
    select
        platform,
        weekday,
        hour_of_day,
        count(*) as posts,
        cast(sum(views) as bigint) as views,
        cast(sum(engagements) as bigint) as engagements,
        cast(sum(case when is_viral then 1 else 0 end) as bigint) as viral_posts,
        {{ safe_divide('sum(views)', 'count(*)') }} as views_per_post,
        {{ safe_divide('sum(engagements)', 'sum(views)') }} as engagement_rate,
        {{ safe_divide('sum(case when is_viral then 1 else 0 end)', 'count(*)') }} as viral_ratio
    from timed
    group by platform, weekday, hour_of_day
)

select * from final

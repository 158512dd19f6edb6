-- Snapshot-to-increment keeps every view: per post, its first known views plus what was gained minus what the
-- platform took back after that equal its latest views in content_posts (likes likewise). Posts whose counter
-- went unknown again after it was first known are left out: the rise over such a gap is unknown by design.
-- Rows returned are posts that do not add up.

{% set counters = ['views', 'likes'] %}

with

daily as (
    select * from {{ ref('content_post_daily') }}
),

posts as (
    select * from {{ ref('content_posts') }}
),

{%- for counter in counters %}

{{ counter }}_first_known as (
    select platform, post_id, min(snapshot_date) as first_known_date
    from daily
    where {{ counter }} is not null
    group by platform, post_id
),

{{ counter }}_added_up as (
    select
        daily.platform,
        daily.post_id,
        sum(case when daily.snapshot_date = known.first_known_date then daily.{{ counter }} else 0 end)
            + sum(case when daily.snapshot_date > known.first_known_date
                then coalesce(daily.{{ counter }}_gained, 0) - daily.{{ counter }}_removed else 0 end)
            as added_up,
        sum(case when daily.snapshot_date > known.first_known_date and daily.{{ counter }}_gained is null
            then 1 else 0 end) as unknown_rises
    from daily
    inner join {{ counter }}_first_known as known
        on daily.platform = known.platform
        and daily.post_id = known.post_id
    group by daily.platform, daily.post_id
),
{%- endfor %}

final as (
    {%- for counter in counters %}
    select posts.platform, posts.post_id, '{{ counter }}' as counter, posts.{{ counter }} as latest, added_up
    from posts
    inner join {{ counter }}_added_up as added
        on posts.platform = added.platform
        and posts.post_id = added.post_id
    where added.unknown_rises = 0
        and posts.{{ counter }} is distinct from added.added_up
    {{ "union all" if not loop.last }}
    {%- endfor %}
)

select * from final

-- One row per post and snapshot day: the post's lifetime counters then and what they gained since its previous
-- snapshot, so growth curves and a day's views can be built from platforms that only tell "lifetime so far".
--   *_gained = the counter's rise since the previous snapshot (never negative); *_removed = its fall, when the
--   platform took views or likes back (purged invalid traffic): counter_decreased flags the row. Over a post's
--   snapshots, the first snapshot's counters + gained − removed = its latest counters.
--   The first snapshot counts from zero when the post went out on (or after) its snapshot day; a post first seen
--   older than that is a baseline (is_baseline): its growth before then is unknown, so its gained are null.
--   A counter unknown in a snapshot (null: the platform withheld it) has unknown gains there and in the next one.
--   spans_days = days since the previous snapshot (1 normally; more after a day the extraction missed).
--   became_viral: the snapshot where the post's views first reached the platform's viral threshold (爆款), seen
--   crossing it: every earlier snapshot was under it, or this first snapshot counts from zero. A baseline already
--   over it became viral before the warehouse saw it, on a day nobody knows, so it never has the flag.

with

snapshots as (
    select * from {{ ref('int_content_post_snapshots_unioned') }}
),

ordered as (
    select
        snapshots.*,
        cast(timezone(account_timezone, published_at) as date) as published_date_local,
        lag(snapshot_date) over by_post as previous_snapshot_date,
        max(views) over (by_post rows between unbounded preceding and 1 preceding) as previous_most_views,
        {%- for counter in content_counters() %}
        lag({{ counter }}) over by_post as previous_{{ counter }}{{ "," if not loop.last }}
        {%- endfor %}
    from snapshots
    window by_post as (partition by platform, post_id order by snapshot_date)
),

measured as (
    select
        ordered.*,
        previous_snapshot_date is null
            and (published_date_local is null or published_date_local < snapshot_date) as is_baseline
    from ordered
),

final as (
    select
        platform,
        account_id,
        post_id,
        snapshot_date,
        snapshot_date - published_date_local as days_since_publish,
        {%- for counter in content_counters() %}
        {{ counter }},
        {%- endfor %}
        {%- for counter in content_counters() %}
        case
            when is_baseline or {{ counter }} is null then null
            -- the previous snapshot did not know the counter (Graph's "not enough viewers"): the rise is unknown
            when previous_snapshot_date is not null and previous_{{ counter }} is null then null
            else greatest({{ counter }} - coalesce(previous_{{ counter }}, 0), 0)
        end as {{ counter }}_gained,
        greatest(coalesce(previous_{{ counter }}, 0) - {{ counter }}, 0) as {{ counter }}_removed,
        {%- endfor %}
        case
            when is_baseline then null
            else {{ engagements(suffix='_gained') }}
        end as engagements_gained,
        (
            {%- for counter in content_counters() %}
            {{ counter }} < previous_{{ counter }}{{ " or" if not loop.last }}
            {%- endfor %}
        ) is true as counter_decreased,
        is_baseline,
        case
            when previous_snapshot_date is not null then snapshot_date - previous_snapshot_date
            when not is_baseline then 1
        end as spans_days,
        coalesce(
            not is_baseline
            and views >= {{ viral_threshold('platform') }}
            and (previous_snapshot_date is null or previous_most_views < {{ viral_threshold('platform') }}),
            false
        ) as became_viral,
        _loaded_at
    from measured
)

select * from final

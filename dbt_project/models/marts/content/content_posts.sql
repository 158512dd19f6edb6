-- One row per post of every organic platform: what it is, and its lifetime figures from its latest snapshot.
--   engagements = likes + comments + shares + saves (what the platform reports of them); engagement_rate =
--   engagements / views (互动率); is_viral: views reached the platform's viral threshold (爆款).
--   published_at_local is the publish moment on the account's clock (where the platform gives the hour).
--   is_deleted: the post is missing from a later snapshot of its account while it was still young enough to be
--   followed (content_tracking_days): deleted or hidden on the platform; its figures are its last known ones.

{%- set tracking_days = var('content_tracking_days') %}

with

snapshots as (
    select * from {{ ref('int_content_post_snapshots_unioned') }}
),

numbered as (
    select
        snapshots.*,
        row_number() over (partition by platform, post_id order by snapshot_date desc) as newest_first,
        min(snapshot_date) over (partition by platform, post_id) as first_snapshot_date,
        count(*) over (partition by platform, post_id) as snapshots_taken
    from snapshots
),

latest as (
    select * from numbered where newest_first = 1
),

account_last_snapshots as (
    select platform, account_id, max(snapshot_date) as account_last_snapshot_date
    from snapshots
    group by platform, account_id
),

final as (
    select
        latest.platform,
        latest.account_id,
        latest.post_id,
        latest.published_at,
        timezone(latest.account_timezone, latest.published_at) as published_at_local,
        cast(timezone(latest.account_timezone, latest.published_at) as date) as published_date_local,
        latest.account_timezone,
        latest.post_format,
        latest.title,
        latest.topic_tags,
        {%- for counter in content_counters() %}
        latest.{{ counter }},
        {%- endfor %}
        {{ engagements('latest.') }} as engagements,
        {{ safe_divide(engagements('latest.'), 'latest.views') }} as engagement_rate,
        latest.views >= {{ viral_threshold('latest.platform') }} as is_viral,
        latest.snapshot_date - cast(timezone(latest.account_timezone, latest.published_at) as date)
            as days_since_publish,
        latest.first_snapshot_date,
        latest.snapshot_date as last_snapshot_date,
        latest.snapshots_taken,
        latest.snapshot_date < least(
            account_last_snapshots.account_last_snapshot_date,
            cast(timezone(latest.account_timezone, latest.published_at) as date) + {{ tracking_days - 1 }}
        ) as is_deleted
    from latest
    inner join account_last_snapshots
        on latest.platform = account_last_snapshots.platform
        and latest.account_id = account_last_snapshots.account_id
)

select * from final

-- One row per post and snapshot day: the video list's lifetime counters as of the extraction that took the day's
-- snapshot, renamed to the common post-snapshot shape (macro content_post_snapshot_columns), then Douyin's own.
--   views = play_count (plays; the author sees them); likes = digg_count (点赞); comments = comment_count;
--   shares = share_count; saves is null: Douyin's API has no save counter (收藏 is not exposed), never 0.
--   published_at = create_time (unix seconds); the account's days are Beijing days.
--   post_format: media_type 4 is a video, 2 an image post (图文); another value stays null (unknown).
--   The title carries its topics as '#tag': topic_tags lists them (',' joined, without '#', null when none) and
--   title is the text without them; title_as_written keeps the original.

with

source as (
    select * from {{ source('douyin', 'video_snapshots') }}
),

renamed as (
    select
        'douyin' as platform,
        source.account as account_id,
        source.item_id as post_id,
        source.snapshot_date,
        to_timestamp(source.create_time) as published_at,
        'Asia/Shanghai' as account_timezone,
        case source.media_type when 4 then 'video' when 2 then 'image' end as post_format,
        nullif(trim(regexp_replace(source.title, '\s*#[^\s#]+', '', 'g')), '') as title,
        nullif(array_to_string(regexp_extract_all(source.title, '#([^\s#]+)', 1), ','), '') as topic_tags,
        source.play_count as views,
        source.digg_count as likes,
        source.comment_count as comments,
        source.share_count as shares,
        cast(null as bigint) as saves,
        source.title as title_as_written,
        coalesce(source.is_top, false) as is_pinned,
        source.forward_count as forwards,
        source.download_count as downloads,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select
        {{ content_post_snapshot_columns() }},
        title_as_written,
        is_pinned,
        forwards,
        downloads,
        _run_id,
        _extracted_at
    from renamed
)

select * from final

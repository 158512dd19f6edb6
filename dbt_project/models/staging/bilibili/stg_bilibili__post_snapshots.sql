-- One row per video and snapshot day: the archive list's videos with their lifetime counters (data/arc/stat) as of
-- the extraction that took the day's snapshot, renamed to the common post-snapshot shape (macro
-- content_post_snapshot_columns), then Bilibili's own.
--   views = view (播放); likes = like (点赞); comments = reply (评论); shares = share (分享);
--   saves = favorite (收藏, favourites: what a viewer keeps to watch again). Coins (投币) are not saves: they are
--   kept beside as coins, with danmaku (弹幕, bullet comments).
--   published_at = ptime (unix seconds); the account's days are Beijing days. Every archive is a video.
--   topic_tags = tag, the archive's comma-separated tags (without '#'), null when empty.

with

source as (
    select * from {{ source('bilibili', 'archive_snapshots') }}
),

renamed as (
    select
        'bilibili' as platform,
        source.account as account_id,
        source.resource_id as post_id,
        source.snapshot_date,
        to_timestamp(source.ptime) as published_at,
        'Asia/Shanghai' as account_timezone,
        'video' as post_format,
        source.title,
        nullif(trim(replace(source.tag, '#', '')), '') as topic_tags,
        source.view_count as views,
        source.like_count as likes,
        source.reply_count as comments,
        source.share_count as shares,
        source.favorite_count as saves,
        source.coin_count as coins,
        source.danmaku_count as danmaku,
        source.duration as duration_seconds,
        source.tid as category_id,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select
        {{ content_post_snapshot_columns() }},
        coins,
        danmaku,
        duration_seconds,
        category_id,
        _run_id,
        _extracted_at
    from renamed
)

select * from final

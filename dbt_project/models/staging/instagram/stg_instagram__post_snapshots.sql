-- One row per IG media and snapshot day: the media's lifetime figures as the run after that Pacific day read them,
-- renamed to the common post-snapshot shape (macro content_post_snapshot_columns), then Instagram's own columns.
--   views, shares, saves (Instagram's `saved`) and reach come from media insights; likes and comments from the media
--   node (like_count, comments_count). A media Graph has no insights for ("(#10) Not enough viewers") keeps its
--   insight counters null (unknown, never 0); insights_error says why.
--   post_format: media_product_type REELS is a reel; else media_type IMAGE / VIDEO / CAROUSEL_ALBUM is an image /
--   video / carousel.
--   title = the caption's first line; topic_tags = the caption's #hashtags, in order, joined by ',' (null when none).
--   Instagram's days end at midnight America/Los_Angeles, the zone local hours and days are read in.

with

source as (
    select * from {{ source('instagram', 'media_insights') }}
),

renamed as (
    select
        'instagram' as platform,
        source.account as account_id,
        source.media_id as post_id,
        source.snapshot_date,
        source.published_at,
        'America/Los_Angeles' as account_timezone,
        case
            when source.media_product_type = 'REELS' then 'reel'
            when source.media_type = 'CAROUSEL_ALBUM' then 'carousel'
            when source.media_type = 'VIDEO' then 'video'
            when source.media_type = 'IMAGE' then 'image'
        end as post_format,
        nullif(trim(split_part(source.caption, chr(10), 1)), '') as title,
        nullif(array_to_string(regexp_extract_all(source.caption, '#([^\s#]+)', 1), ','), '') as topic_tags,
        source.views,
        source.like_count as likes,
        source.comments_count as comments,
        source.shares,
        source.saved as saves,
        source.reach,
        source.media_type,
        source.media_product_type,
        source.permalink,
        source.caption,
        source.insights_error,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select * from renamed
)

select * from final

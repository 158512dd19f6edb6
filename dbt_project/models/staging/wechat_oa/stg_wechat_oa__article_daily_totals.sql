-- One row per article and stat_date: the article's cumulative figures up to 24:00 Beijing of that day, renamed to
-- the common post-snapshot shape (macro content_post_snapshot_columns) and followed by WeChat's own figures.
--   views = read_user (阅读人数, the readers WeChat shows); likes = like_user (点赞); comments = comment_count (留言);
--   shares = share_user (users who shared); saves = collection_user (收藏). read_count, share_count and
--   zaikan_user (在看) are kept beside.
--   published_at comes from publish_time (unix seconds) where the answer has it, else it is null: the mass-message
--   day (published_date) is always known, the hour not.

with

source as (
    select * from {{ source('wechat_oa', 'article_daily_totals') }}
),

renamed as (
    select
        'wechat_oa' as platform,
        source.account as account_id,
        source.msgid as post_id,
        source.stat_date as snapshot_date,
        to_timestamp(source.publish_time) as published_at,
        'Asia/Shanghai' as account_timezone,
        'article' as post_format,
        source.title,
        {{ join_json_string_list('source.topic_tags') }} as topic_tags,
        source.read_user as views,
        source.like_user as likes,
        source.comment_count as comments,
        source.share_user as shares,
        source.collection_user as saves,
        source.ref_date as published_date,
        source.read_count,
        source.share_count,
        source.zaikan_user,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select * from renamed
)

select * from final

-- One row per 蒲公英 collaboration and snapshot day: the order (the creator, the price) and its note's lifetime
-- figures as of the snapshot, renamed to the common collaboration shape (macro
-- creator_collaboration_snapshot_columns), then the load lineage.
--   collaboration_id = order_id; creator_id = kol_id, creator_name = kol_nick_name; creator_tier: 'KOL' from 100,000
--   followers (kol_fan_num), else 'KOC'; fee = kol_price (博主报价) in yuan, currency CNY (蒲公英 bills in yuan).
--   views = read_num (阅读), impressions = imp_num (曝光), likes = like_num, comments = cmt_num, shares = share_num,
--   saves = fav_num (收藏): a counter the API left out stays null, never 0.
--   published_at: note_publish_time is Beijing wall time without an offset ('yyyy-MM-dd HH:mm:ss').

with

source as (
    select * from {{ source('xiaohongshu', 'collaboration_snapshots') }}
),

renamed as (
    select
        'xiaohongshu' as platform,
        source.order_id as collaboration_id,
        source.kol_id as creator_id,
        source.kol_nick_name as creator_name,
        case
            when source.kol_fan_num >= 100000 then 'KOL'
            when source.kol_fan_num is not null then 'KOC'
        end as creator_tier,
        cast(source.kol_price as decimal(18, 2)) as fee,
        'CNY' as currency,
        source.note_id as post_id,
        source.note_title as title,
        timezone('Asia/Shanghai', cast(source.note_publish_time as timestamp)) as published_at,
        'Asia/Shanghai' as account_timezone,
        source.snapshot_date,
        source.read_num as views,
        source.imp_num as impressions,
        source.like_num as likes,
        source.cmt_num as comments,
        source.share_num as shares,
        source.fav_num as saves,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select
        {{ creator_collaboration_snapshot_columns() }},
        _run_id,
        _extracted_at
    from renamed
)

select * from final

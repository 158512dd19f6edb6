-- Every organic platform's post snapshots in one shape (macro content_post_snapshot_columns): one row per
-- platform × post × snapshot day with the post's lifetime counters then. A new platform's staging model carries
-- these columns under these names, so it adds one `union all` line below and nothing else.

with

unioned as (
    select {{ content_post_snapshot_columns() }} from {{ ref('stg_wechat_oa__article_daily_totals') }}
    union all select {{ content_post_snapshot_columns() }} from {{ ref('stg_douyin__post_snapshots') }}
    union all select {{ content_post_snapshot_columns() }} from {{ ref('stg_instagram__post_snapshots') }}
    union all select {{ content_post_snapshot_columns() }} from {{ ref('stg_bilibili__post_snapshots') }}
    union all select {{ content_post_snapshot_columns() }} from {{ ref('stg_xiaohongshu__post_snapshots') }}
),

final as (
    select * from unioned
)

select * from final

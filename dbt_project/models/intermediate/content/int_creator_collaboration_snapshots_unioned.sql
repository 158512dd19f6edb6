-- Every platform's creator collaborations (KOL/KOC notes the brand paid for) in one shape (macro
-- creator_collaboration_snapshot_columns): one row per platform × collaboration × snapshot day with the note's
-- lifetime counters then. A platform with collaborations adds one `union all` line.

with

unioned as (
    select {{ creator_collaboration_snapshot_columns() }} from {{ ref('stg_xiaohongshu__collaboration_snapshots') }}
),

final as (
    select * from unioned
)

select * from final

-- One row per Instagram account and snapshot day: followers_count and media_count as the run after the day read
-- them (Graph's counts are live), renamed.

with

source as (
    select * from {{ source('instagram', 'account') }}
),

renamed as (
    select
        source.account as account_id,
        source.snapshot_date as date_day,
        source.followers_count as followers,
        source.media_count,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select * from renamed
)

select * from final

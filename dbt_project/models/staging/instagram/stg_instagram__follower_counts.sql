-- One row per Instagram account and Pacific day: the day's new followers (follower_count, period=day), renamed.

with

source as (
    select * from {{ source('instagram', 'follower_count') }}
),

renamed as (
    select
        source.account as account_id,
        source.day as date_day,
        source.new_followers as follows,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select * from renamed
)

select * from final

-- The coverage ledger as loaded: which (source, stream, account, day) the warehouse holds.

with

source as (
    select * from {{ source('pipeline', 'coverage') }}
),

renamed as (
    select
        source.source,
        source.stream,
        source.account,
        source.day as covered_day,
        source.run_id,
        source.loaded_at,
    from source
)

select * from renamed

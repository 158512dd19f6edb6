-- Renames only: the loader typed every column once (extractors/ecb_fx/source.py declares them), so nothing
-- here parses JSON or casts.

with

source as (
    select * from {{ source('ecb_fx', 'reference_rates') }}
),

renamed as (
    select
        source.account as requested_currency,
        source.rate_date,
        source.currency,
        source.base_currency,
        source.units_per_base,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select * from renamed
)

select * from final

-- Each account's latest reported settings: the zone its days end in and its currency.

with

source as (
    select * from {{ source('accounts', 'account_settings') }}
),

renamed as (
    select
        source.source,
        source.account,
        source.timezone,
        source.currency,
        source._extracted_at as reported_at,
    from source
)

select * from renamed

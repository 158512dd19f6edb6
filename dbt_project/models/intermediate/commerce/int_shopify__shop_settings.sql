-- Each shop's settings as its settings endpoint (shop.json) last reported them: the zone its order days
-- end in, and its currency.

with

settings as (
    select * from {{ ref('stg_pipeline__account_settings') }}
),

final as (
    select
        account as shop,
        timezone,
        currency,
    from settings
    where source = 'shopify'
)

select * from final

-- The first shop-local day the warehouse holds completely. Orders are extracted by updated_at, so the
-- first load also brings orders placed before its window that were refunded or fulfilled inside it: the
-- days they were placed on would look like slow days. A local day is complete when it starts (in the
-- shop time zone) at or after the start of the first loaded window.

with

orders as (
    select * from {{ ref('stg_shopify__orders') }}
),

loaded as (
    select min(_window_start) as loaded_from,
    from orders
),

final as (
    select
        loaded_from,
        -- Midnight UTC of loaded_from, read on the shop's clock; a day starting before it is partial.
        cast(
            timezone('{{ var("shop_timezone") }}', timezone('UTC', cast(loaded_from as timestamp)))
            + interval 1 day - interval 1 microsecond
            as date
        ) as first_complete_order_date,
    from loaded
)

select * from final

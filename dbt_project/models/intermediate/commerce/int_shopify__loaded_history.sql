-- The shop-local days the warehouse holds completely. Orders are extracted by updated_at over windows of
-- whole UTC days, so the first load also brings orders placed before its window that were refunded or
-- fulfilled inside it (their days would look like slow days), and the shop-local day running at the end
-- of the last window is still going on. A day is complete when it starts, on the shop's clock, at or
-- after the first window's start and ends at or before the last window's end.

with

orders as (
    select * from {{ ref('stg_shopify__orders') }}
),

loaded as (
    select
        min(_window_start) as loaded_from,
        max(_window_end) as loaded_until,
    from orders
),

on_shop_clock as (
    select
        loaded_from,
        loaded_until,
        timezone('{{ var("shop_timezone") }}', timezone('UTC', cast(loaded_from as timestamp))) as local_from,
        timezone('{{ var("shop_timezone") }}', timezone('UTC', cast(loaded_until as timestamp))) as local_until,
    from loaded
),

final as (
    select
        loaded_from,
        loaded_until,
        -- The first local day starting at or after local_from.
        cast(local_from + interval 1 day - interval 1 microsecond as date) as first_complete_order_date,
        -- The last local day ending at or before local_until.
        cast(local_until as date) - 1 as last_complete_order_date,
    from on_shop_clock
)

select * from final

-- Order count and GMV (native) per order_date in the marts equal those recomputed straight from the raw
-- source: the latest version of each order (greatest updated_at, then latest load), its created_at read
-- in the zone the shop's settings report, GMV = total_line_items_price + shipping. Checks the orders mart
-- (count, GMV) and sales_daily (count). Returns each (mart, day) that differs or is missing on one side.
{{ config(store_failures=true) }}

with

raw_orders as (
    select * from {{ source('shopify', 'orders') }}
),

orders as (
    select * from {{ ref('orders') }}
),

sales_daily as (
    select * from {{ ref('sales_daily') }}
),

complete_order_dates as (
    select * from {{ ref('int_shopify__complete_order_dates') }}
),

shops as (
    select * from {{ ref('int_shopify__shop_settings') }}
),

raw_latest as (
    select
        account as shop,
        created_at,
        total_line_items_price,
        total_shipping_price,
    from raw_orders
    qualify row_number() over (
        partition by order_id
        order by updated_at desc, _loaded_at desc, _extracted_at desc, _run_id desc
    ) = 1
),

raw_daily as (
    select
        raw_latest.shop,
        cast(timezone(shops.timezone, raw_latest.created_at) as date) as order_date,
        count(*) as raw_orders,
        sum(
            total_line_items_price + total_shipping_price
        ) as raw_gmv_native,
    from raw_latest
    left join shops
        on shops.shop = raw_latest.shop
    group by all
),

mart_daily as (
    select
        'orders' as mart,
        order_date,
        count(*) as mart_orders,
        sum(gmv_native) as mart_gmv_native,
    from orders
    group by all

    union all

    select
        'sales_daily' as mart,
        order_date,
        orders as mart_orders,
        null as mart_gmv_native,
    from sales_daily
),

expected as (
    select
        marts.mart,
        raw_daily.order_date,
        sum(raw_daily.raw_orders) as raw_orders,
        sum(case when marts.mart = 'orders' then raw_daily.raw_gmv_native end) as raw_gmv_native,
    from (select unnest(['orders', 'sales_daily']) as mart) as marts
    cross join raw_daily
    -- sales_daily keeps to complete days; the orders mart keeps every order.
    where marts.mart = 'orders'
        or exists (
            select 1 from complete_order_dates
            where complete_order_dates.shop = raw_daily.shop
                and complete_order_dates.order_date = raw_daily.order_date
        )
    group by marts.mart, raw_daily.order_date
),

compared as (
    select
        coalesce(expected.mart, mart_daily.mart) as mart,
        coalesce(expected.order_date, mart_daily.order_date) as order_date,
        expected.raw_orders,
        mart_daily.mart_orders,
        expected.raw_gmv_native,
        mart_daily.mart_gmv_native,
    from expected
    full outer join mart_daily
        on mart_daily.mart = expected.mart
        and mart_daily.order_date = expected.order_date
),

final as (
    select * from compared
    where raw_orders is distinct from mart_orders
        or raw_gmv_native is distinct from mart_gmv_native
)

select * from final

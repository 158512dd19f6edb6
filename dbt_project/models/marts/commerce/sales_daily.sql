-- One row per order_date (shop time zone) with at least one order. Sums in var('reporting_currency');
-- aov = gmv / orders (ratio of sums).
-- customers = distinct customers ordering that day; new_customers = those whose first order in the
-- warehouse is that day; returning_customers = the rest (customers − new_customers), so a customer who
-- places a first and a second order on the same day is counted once, as new.
-- Only shop-local days the warehouse holds completely (see int_shopify__complete_order_dates).

with

orders as (
    select * from {{ ref('int_shopify__orders_in_reporting_currency') }}
),

complete_order_dates as (
    select * from {{ ref('int_shopify__complete_order_dates') }}
),

summed as (
    select
        order_date,
        count(*) as orders,
        count(distinct customer_key) as customers,
        count(distinct case when is_new_customer then customer_key end) as new_customers,
        sum(gmv) as gmv,
        sum(discounts) as discounts,
        sum(refunds) as refunds,
        sum(net_sales) as net_sales,
    from orders
    where exists (
        select 1 from complete_order_dates
        where complete_order_dates.shop = orders.shop
            and complete_order_dates.order_date = orders.order_date
    )
    group by order_date
),

final as (
    select
        order_date,
        cast(orders as bigint) as orders,
        cast(customers as bigint) as customers,
        cast(new_customers as bigint) as new_customers,
        cast(customers - new_customers as bigint) as returning_customers,
        cast(gmv as decimal(18, 4)) as gmv,
        cast(discounts as decimal(18, 4)) as discounts,
        cast(refunds as decimal(18, 4)) as refunds,
        cast(net_sales as decimal(18, 4)) as net_sales,
        {{ safe_divide('gmv', 'orders') }} as aov,
    from summed
)

select * from final

-- One row per Shopify order, its latest version. GMV = line items + shipping (before discounts and
-- refunds); net_sales = gmv − discounts − refunds. Money in var('reporting_currency') at the order date's
-- FX rate, with the native amounts beside it.

with

orders as (
    select * from {{ ref('int_shopify__orders_in_reporting_currency') }}
),

final as (
    select
        order_id,
        order_name,
        shop,
        created_at,
        order_date,
        customer_id,
        customer_email_sha256,
        cast(customer_order_sequence as bigint) as customer_order_sequence,
        is_new_customer,
        currency,
        cast(fx_rate as decimal(18, 8)) as fx_rate,
        gmv,
        gmv_native,
        discounts,
        discounts_native,
        refunds,
        refunds_native,
        net_sales,
        net_sales_native,
        financial_status,
        fulfillment_status,
        cancelled_at,
        is_test,
        utm_source,
        utm_medium,
        utm_campaign,
        updated_at,
    from orders
)

select * from final

-- Latest order versions with what the marts need: order_date in the shop's time zone, shipping, refunds,
-- UTM parameters from the landing page, and the customer's order sequence.
--
-- New vs returning: an order is the customer's first (is_new_customer) when no earlier order of the same
-- customer is in the warehouse. History before the first loaded day is not visible, so a customer who
-- last bought before that day counts as new on their first order inside it.
-- The customer is the Shopify customer id; a guest checkout falls back to the hashed email, and an order
-- with neither is its own customer.

with

orders as (
    select * from {{ ref('int_shopify__orders_latest') }}
),

refunds as (
    select * from {{ ref('int_shopify__order_refunds') }}
),

shops as (
    select * from {{ ref('int_shopify__shop_settings') }}
),

joined as (
    select
        orders.order_id,
        orders.order_name,
        orders.shop,
        orders.created_at,
        -- The shop's own zone, as its settings report it.
        cast(timezone(shops.timezone, orders.created_at) as date) as order_date,
        orders.customer_id,
        coalesce(orders.customer_email_sha256, orders.email_sha256) as customer_email_sha256,
        case
            when orders.customer_id is not null then 'customer_id:' || orders.customer_id
            when coalesce(orders.customer_email_sha256, orders.email_sha256) is not null
                then 'email_sha256:' || coalesce(orders.customer_email_sha256, orders.email_sha256)
            else 'order_id:' || orders.order_id
        end as customer_key,
        orders.currency,
        -- Required at load ("required field missing" otherwise), so never null here; were one unknown, the
        -- order's GMV stays unknown (null) rather than being counted as 0.
        orders.total_line_items_price as line_items_native,
        orders.total_shipping_price as shipping_native,
        orders.total_discounts as discounts_native,
        refunds.refunds_native,
        orders.financial_status,
        orders.fulfillment_status,
        orders.cancelled_at,
        coalesce(orders.is_test, false) as is_test,
        orders.landing_site,
        {{ url_query_parameter('orders.landing_site', 'utm_source') }} as utm_source,
        {{ url_query_parameter('orders.landing_site', 'utm_medium') }} as utm_medium,
        {{ url_query_parameter('orders.landing_site', 'utm_campaign') }} as utm_campaign,
        -- Which post, account or creator collaboration the link was in (the content marts join on it).
        {{ url_query_parameter('orders.landing_site', 'utm_content') }} as utm_content,
        orders.updated_at,
        orders._loaded_at,
    from orders
    left join refunds
        on refunds.order_id = orders.order_id
    left join shops
        on shops.shop = orders.shop
),

sequenced as (
    select
        *,
        row_number() over (
            partition by customer_key
            order by created_at, order_id
        ) as customer_order_sequence,
    from joined
),

final as (
    select
        * exclude (line_items_native, shipping_native, discounts_native, refunds_native),
        customer_order_sequence = 1 as is_new_customer,
        line_items_native,
        shipping_native,
        cast(line_items_native + shipping_native as decimal(18, 4)) as gmv_native,
        discounts_native,
        refunds_native,
        cast(line_items_native + shipping_native - discounts_native - refunds_native as decimal(18, 4))
            as net_sales_native,
    from sequenced
)

select * from final

-- One row per Shopify order, its latest version. GMV = line items + shipping (before discounts and
-- refunds); net_sales = gmv − discounts − refunds. Money in var('reporting_currency') at the order date's
-- FX rate, with the native amounts beside it.
--
-- Incremental: a run rebuilds every order of each customer who has an order with a version loaded since
-- the mart was last built (so the customer's order sequence stays right); `--full-refresh` rebuilds all.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='order_id',
    on_schema_change='fail',
) }}

with

orders as (
    select * from {{ ref('int_shopify__orders_in_reporting_currency') }}
),

{% if is_incremental() %}
changed_customers as (
    select distinct customer_key
    from orders
    where _loaded_at > (select max(_loaded_at) from {{ this }})
),
{% endif %}

rebuilt as (
    select * from orders
    {% if is_incremental() %}
    where customer_key in (select customer_key from changed_customers)
    {% endif %}
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
        utm_content,
        updated_at,
        _loaded_at
    from rebuilt
)

select * from final

-- Renames only: the loader typed every column once (extractors/shopify/source.py declares them), so nothing
-- here parses JSON or casts.

with

source as (
    select * from {{ source('shopify', 'orders') }}
),

renamed as (
    select
        source.account as shop,
        source.order_id,
        source.name as order_name,
        source.order_number,
        source.email_sha256,
        source.phone_sha256,
        source.created_at,
        source.updated_at,
        source.processed_at,
        source.cancelled_at,
        source.currency,
        source.financial_status,
        source.fulfillment_status,
        source.taxes_included,
        source.total_line_items_price,
        source.total_discounts,
        source.subtotal_price,
        source.total_tax,
        source.total_price,
        source.total_shipping_price,
        source.shipping_currency,
        source.customer_id,
        source.customer_email_sha256,
        source.customer_created_at,
        source.landing_site,
        source.referring_site,
        source.source_name,
        source.test as is_test,
        source.discount_codes,
        source.line_items,
        source.refunds,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select * from renamed
)

select * from final

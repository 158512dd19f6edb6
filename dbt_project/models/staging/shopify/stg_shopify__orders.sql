with

source as (
    select * from {{ source('shopify', 'orders') }}
),

renamed as (
    select
        account as shop,
        order_id,
        record->>'name' as order_name,
        cast(record->>'order_number' as bigint) as order_number,
        record->>'email_sha256' as email_sha256,
        record->>'phone_sha256' as phone_sha256,
        cast(record->>'created_at' as timestamptz) as created_at,
        updated_at,
        cast(record->>'processed_at' as timestamptz) as processed_at,
        cast(record->>'cancelled_at' as timestamptz) as cancelled_at,
        record->>'currency' as currency,
        record->>'financial_status' as financial_status,
        record->>'fulfillment_status' as fulfillment_status,
        cast(record->>'taxes_included' as boolean) as taxes_included,
        cast(record->>'total_line_items_price' as decimal(18, 4)) as total_line_items_price,
        cast(record->>'total_discounts' as decimal(18, 4)) as total_discounts,
        cast(record->>'subtotal_price' as decimal(18, 4)) as subtotal_price,
        cast(record->>'total_tax' as decimal(18, 4)) as total_tax,
        cast(record->>'total_price' as decimal(18, 4)) as total_price,
        cast(record->'total_shipping_price_set'->'shop_money'->>'amount' as decimal(18, 4))
            as total_shipping_price,
        record->'total_shipping_price_set'->'shop_money'->>'currency_code' as shipping_currency,
        cast(record->'customer'->>'id' as bigint) as customer_id,
        record->'customer'->>'email_sha256' as customer_email_sha256,
        cast(record->'customer'->>'created_at' as timestamptz) as customer_created_at,
        record->>'landing_site' as landing_site,
        record->>'referring_site' as referring_site,
        record->>'source_name' as source_name,
        cast(record->>'test' as boolean) as is_test,
        record->'discount_codes' as discount_codes,
        record->'line_items' as line_items,
        record->'refunds' as refunds,
        _run_id,
        _window_start,
        _window_end,
        _extracted_at,
        _loaded_at,
    from source
),

final as (
    select * from renamed
)

select * from final

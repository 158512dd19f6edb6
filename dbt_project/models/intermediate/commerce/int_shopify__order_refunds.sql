-- Refunded money per order (latest version): the sum of refund transactions with kind = 'refund' and
-- status = 'success' across all of the order's refunds. Failed/pending transactions and other kinds
-- (e.g. a void) move no money back. Orders without refunds get 0. Row by row, so a filter on the order
-- reaches the scan.

with

orders as (
    select * from {{ ref('int_shopify__orders_latest') }}
),

transactions as (
    select
        order_id,
        list_filter(
            cast(json_extract(refunds, '$[*].transactions[*]') as json[]),
            lambda t: t->>'kind' = 'refund' and t->>'status' = 'success'
        ) as successful_refunds,
    from orders
),

final as (
    select
        order_id,
        cast(coalesce(list_sum(list_transform(successful_refunds, lambda t: cast(t->>'amount' as decimal(18, 4)))), 0)
            as decimal(18, 4)) as refunds_native,
        coalesce(len(successful_refunds), 0) as refund_transactions,
    from transactions
)

select * from final

-- Refunded money per order (latest version): the sum of refund transactions with kind = 'refund' and
-- status = 'success' across all of the order's refunds. Failed/pending transactions and other kinds
-- (e.g. a void) move no money back. Orders without refunds get 0.

with

orders as (
    select * from {{ ref('int_shopify__orders_latest') }}
),

refund_transactions as (
    select
        order_id,
        unnest(cast(json_extract(refunds, '$[*].transactions[*]') as json[])) as refund_transaction,
    from orders
),

successful_refunds as (
    select
        order_id,
        sum(cast(refund_transaction->>'amount' as decimal(18, 4))) as refunds,
        count(*) as refund_transactions,
    from refund_transactions
    where refund_transaction->>'kind' = 'refund'
        and refund_transaction->>'status' = 'success'
    group by order_id
),

joined as (
    select
        orders.order_id,
        cast(coalesce(successful_refunds.refunds, 0) as decimal(18, 4)) as refunds_native,
        coalesce(successful_refunds.refund_transactions, 0) as refund_transactions,
    from orders
    left join successful_refunds
        on successful_refunds.order_id = orders.order_id
),

final as (
    select * from joined
)

select * from final

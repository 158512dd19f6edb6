-- One row per brand post or account that shop orders' landing links pointed at (utm_content, see
-- int_content_linked_orders), with those orders and their money in var('reporting_currency'). Orders through a
-- creator's note are in creator_collaborations instead.
--   gmv and net_sales per the design (GMV before discounts and refunds; net sales after them); aov = gmv / orders;
--   orders_per_10k_views = orders / the post's lifetime views × 10,000 (null for an account link).

with

linked_orders as (
    select * from {{ ref('int_content_linked_orders') }}
    where link_target in ('post', 'account')
),

posts as (
    select * from {{ ref('content_posts') }}
),

summed as (
    select
        platform,
        account_id,
        link_target,
        coalesce(post_id, account_id) as target_id,
        post_id,
        count(*) as orders,
        count(*) filter (where is_new_customer) as new_customer_orders,
        sum(gmv) as gmv,
        sum(net_sales) as net_sales,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date
    from linked_orders
    group by all
),

final as (
    select
        summed.platform,
        summed.account_id,
        summed.link_target,
        summed.target_id,
        summed.post_id,
        posts.title,
        posts.published_at,
        posts.published_date_local,
        posts.views as post_views,
        cast(summed.orders as bigint) as orders,
        cast(summed.new_customer_orders as bigint) as new_customer_orders,
        cast(summed.gmv as decimal(18, 4)) as gmv,
        cast(summed.net_sales as decimal(18, 4)) as net_sales,
        {{ safe_divide('summed.gmv', 'summed.orders') }} as aov,
        {{ safe_divide('summed.orders * 10000', 'posts.views') }} as orders_per_10k_views,
        summed.first_order_date,
        summed.last_order_date
    from summed
    left join posts
        on posts.platform = summed.platform
        and posts.post_id = summed.post_id
)

select * from final

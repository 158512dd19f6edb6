-- Shop orders whose landing link names a brand post, a brand account or a creator collaboration in utm_content
-- (the id a marketer puts in a social link: `?utm_source=wechat&...&utm_content=<article msgid>`): one row per
-- such order with the target it names. An order's utm_content that matches nothing the warehouse knows is not
-- here (it is still in marts.orders).
--   link_target: post (a brand post's id) | account (a brand account's id: a bio link, a menu) |
--   collaboration (a creator collaboration's id).
-- Ids are the platforms' own and differ in form (msgids, note ids, Instagram media ids), so a link is matched on
-- the id alone; the order_id key test catches an id two targets share.

with

orders as (
    select * from {{ ref('int_shopify__orders_in_reporting_currency') }}
    where utm_content is not null
),

posts as (
    select distinct platform, account_id, post_id from {{ ref('int_content_post_snapshots_unioned') }}
),

accounts as (
    select platform, account_id from posts
    union
    select platform, account_id from {{ ref('int_social_account_daily_unioned') }}
),

collaborations as (
    select distinct platform, collaboration_id from {{ ref('int_creator_collaboration_snapshots_unioned') }}
),

targets as (
    select
        'post' as link_target,
        post_id as target_id,
        platform,
        account_id,
        post_id,
        cast(null as varchar) as collaboration_id
    from posts
    union all
    select 'account', account_id, platform, account_id, null, null from accounts
    union all
    select 'collaboration', collaboration_id, platform, null, null, collaboration_id from collaborations
),

final as (
    select
        orders.order_id,
        orders.shop,
        orders.order_date,
        orders.created_at,
        orders.customer_key,
        orders.is_new_customer,
        orders.gmv,
        orders.net_sales,
        orders.utm_source,
        orders.utm_medium,
        orders.utm_campaign,
        orders.utm_content,
        targets.link_target,
        targets.platform,
        targets.account_id,
        targets.post_id,
        targets.collaboration_id
    from orders
    inner join targets
        on targets.target_id = orders.utm_content
)

select * from final

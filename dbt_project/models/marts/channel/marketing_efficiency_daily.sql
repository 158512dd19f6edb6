-- Blended efficiency per day: first-party net sales (the shop's, sales_daily) over the spend of every paid
-- platform (ad_spend_daily), MER = net_sales / spend (DESIGN: first-party net revenue / total spend), in the
-- reporting currency. Shop days are in the shop's time zone and ad days in each account's: a day is the
-- calendar date on each side's own clock. Only days both sides hold (from the later of their first days to
-- the earlier of their last), so a day the shop has not completed yet never shows spend against no sales.
-- Inside that range a day with spend but no orders has net sales 0; a day without spend has a null MER.

with

sales as (
    select * from {{ ref('sales_daily') }}
),

ad_spend as (
    select * from {{ ref('ad_spend_daily') }}
),

spend_by_day as (
    select
        date_day,
        sum(spend) as spend,
        sum(platform_conversion_value) as platform_conversion_value
    from ad_spend
    group by date_day
),

covered as (
    select
        greatest((select min(date_day) from spend_by_day), (select min(order_date) from sales)) as first_day,
        least((select max(date_day) from spend_by_day), (select max(order_date) from sales)) as last_day
),

joined as (
    select
        coalesce(spend_by_day.date_day, sales.order_date) as date_day,
        coalesce(spend_by_day.spend, 0) as spend,
        coalesce(spend_by_day.platform_conversion_value, 0) as platform_conversion_value,
        coalesce(sales.orders, 0) as orders,
        coalesce(sales.gmv, 0) as gmv,
        coalesce(sales.net_sales, 0) as net_sales
    from spend_by_day
    full outer join sales
        on sales.order_date = spend_by_day.date_day
    where coalesce(spend_by_day.date_day, sales.order_date)
        between (select first_day from covered) and (select last_day from covered)
),

final as (
    select
        date_day,
        cast(spend as decimal(18, 4)) as spend,
        cast(orders as bigint) as orders,
        cast(gmv as decimal(18, 4)) as gmv,
        cast(net_sales as decimal(18, 4)) as net_sales,
        cast(platform_conversion_value as decimal(18, 4)) as platform_conversion_value,
        {{ safe_divide('net_sales', 'spend') }} as mer,
        {{ safe_divide('platform_conversion_value', 'spend') }} as platform_roas
    from joined
)

select * from final

-- One row per promotion (seeds/promotions.csv) and day, from its first day through its last or the last day
-- marketing_efficiency_daily holds (the days both the shop and the ad platforms have): the day's spend, GMV,
-- net sales and orders, the promotion to date, and pacing and achievement against the promotion's plan.
--   expected_spend_to_date = spend_budget × day_number / promotion_days: a straight line, like the media
--     plan's; promotions build towards their peak day, so early days running behind it is usual.
--   spend_pacing = spend_to_date / expected_spend_to_date; gmv_achievement = gmv_to_date / gmv_target;
--   mer_to_date = net_sales_to_date / spend_to_date (MER, the design's blended ROAS). Ratios of sums.
-- A promotion that began before the warehouse's first day is kept from that day on, with
-- complete_from_start false and first_day_with_data saying where its sums to date begin.

with

promotions as (
    select * from {{ ref('promotions') }}
),

efficiency as (
    select * from {{ ref('marketing_efficiency_daily') }}
),

promotion_days as (
    select
        promotions.promotion_id,
        promotions.promotion_name,
        promotions.start_date,
        promotions.end_date,
        promotions.currency,
        promotions.spend_budget,
        promotions.gmv_target,
        efficiency.date_day,
        cast(efficiency.date_day - promotions.start_date + 1 as integer) as day_number,
        cast(promotions.end_date - promotions.start_date + 1 as integer) as promotion_days,
        efficiency.spend,
        efficiency.gmv,
        efficiency.net_sales,
        efficiency.orders
    from promotions
    inner join efficiency
        on efficiency.date_day between promotions.start_date and promotions.end_date
),

to_date as (
    select
        *,
        sum(spend) over promotion_so_far as spend_to_date,
        sum(gmv) over promotion_so_far as gmv_to_date,
        sum(net_sales) over promotion_so_far as net_sales_to_date,
        sum(orders) over promotion_so_far as orders_to_date,
        min(date_day) over (partition by promotion_id) as first_day_with_data
    from promotion_days
    window promotion_so_far as (
        partition by promotion_id order by date_day rows between unbounded preceding and current row
    )
),

final as (
    select
        {{ surrogate_key(['promotion_id', 'date_day']) }} as promotion_pacing_id,
        promotion_id,
        promotion_name,
        start_date,
        end_date,
        date_day,
        day_number,
        promotion_days,
        first_day_with_data,
        first_day_with_data = start_date as complete_from_start,
        currency,
        spend_budget,
        gmv_target,
        cast(spend as decimal(18, 4)) as spend,
        cast(gmv as decimal(18, 4)) as gmv,
        cast(net_sales as decimal(18, 4)) as net_sales,
        cast(orders as bigint) as orders,
        cast(spend_to_date as decimal(18, 4)) as spend_to_date,
        cast(gmv_to_date as decimal(18, 4)) as gmv_to_date,
        cast(net_sales_to_date as decimal(18, 4)) as net_sales_to_date,
        cast(orders_to_date as bigint) as orders_to_date,
        cast(spend_budget * day_number / promotion_days as decimal(18, 4)) as expected_spend_to_date,
        cast(spend_budget - spend_to_date as decimal(18, 4)) as budget_remaining,
        {{ safe_divide('spend_to_date', 'spend_budget * day_number / promotion_days') }} as spend_pacing,
        {{ safe_divide('gmv_to_date', 'gmv_target') }} as gmv_achievement,
        {{ safe_divide('net_sales_to_date', 'spend_to_date') }} as mer_to_date
    from to_date
)

select * from final

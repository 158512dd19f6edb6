-- The shop-local days the warehouse holds completely, per shop: every UTC day the local day overlaps is in
-- the coverage ledger. Orders are asked for by updated_at from a window's first UTC midnight, so a local day
-- is whole only when each of its UTC days was covered by some load; a day inside an outage the runs never
-- filled, the days before the first load and the day still going on at the last load are not listed. The
-- shop's zone is the one its settings endpoint reported.

with

coverage as (
    select account as shop, covered_day
    from {{ ref('stg_pipeline__coverage') }}
    where source = 'shopify' and stream = 'orders'
),

shops as (
    select * from {{ ref('int_shopify__shop_settings') }}
),

candidate_days as (
    select
        shops.shop,
        shops.timezone,
        cast(unnest(generate_series(min(coverage.covered_day), max(coverage.covered_day), interval 1 day)) as date)
            as order_date,
    from coverage
    inner join shops
        on shops.shop = coverage.shop
    group by shops.shop, shops.timezone
),

utc_span as (
    select
        shop,
        order_date,
        -- The UTC days holding the local day's first and last instant.
        cast(timezone('UTC', timezone(timezone, cast(order_date as timestamp))) as date) as first_utc_day,
        cast(
            timezone('UTC', timezone(timezone, cast(order_date + 1 as timestamp)) - interval 1 microsecond) as date
        ) as last_utc_day,
    from candidate_days
),

final as (
    select
        utc_span.shop,
        utc_span.order_date,
    from utc_span
    inner join coverage
        on coverage.shop = utc_span.shop
        and coverage.covered_day between utc_span.first_utc_day and utc_span.last_utc_day
    group by utc_span.shop, utc_span.order_date, utc_span.first_utc_day, utc_span.last_utc_day
    having count(*) = utc_span.last_utc_day - utc_span.first_utc_day + 1
)

select * from final

-- The FX seed is expressed in var('reporting_currency'): that currency converts at exactly 1 on every day
-- the seed covers, and no rate is zero or negative. Returns the offending rows (or one row when the
-- reporting currency is missing altogether, e.g. after changing the var without replacing the seed).

with

fx_rates as (
    select * from {{ ref('fx_rates_daily') }}
),

bad_rates as (
    select
        rate_date,
        currency,
        rate_to_reporting,
        case
            when rate_to_reporting <= 0 then 'rate is not positive'
            else 'reporting currency rate is not 1'
        end as problem,
    from fx_rates
    where rate_to_reporting <= 0
        or (currency = '{{ var("reporting_currency") }}' and rate_to_reporting != 1)
),

days_without_reporting_currency as (
    select
        rate_date,
        '{{ var("reporting_currency") }}' as currency,
        cast(null as decimal(18, 8)) as rate_to_reporting,
        'no row for the reporting currency' as problem,
    from fx_rates
    group by rate_date
    having count(*) filter (where currency = '{{ var("reporting_currency") }}') = 0
),

final as (
    select * from bad_rates
    union all
    select * from days_without_reporting_currency
)

select * from final

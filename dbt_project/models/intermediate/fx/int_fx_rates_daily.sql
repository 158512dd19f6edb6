-- Daily FX rates to var('reporting_currency'): the ECB's euro reference rates where they are usable, the
-- committed seed (fx_rates_daily) where they are not.
--
-- The ECB quotes every currency per 1 EUR, so a rate to the reporting currency is a cross rate through EUR:
-- (reporting per EUR) / (currency per EUR), taken on a day both are quoted. EUR is 1 per EUR, and the
-- reporting currency comes out at 1. Days without a quote (weekends, TARGET holidays, today before the 16:00
-- Frankfurt publication) carry the latest earlier cross rate forward, for at most var('fx_max_stale_days')
-- days: older than that, a rate says more about the past than about the day, and the seed's rate is used.
-- With no ECB rows at all the model is the seed.

{%- set reporting_currency = var('reporting_currency') %}
{%- set max_stale_days = var('fx_max_stale_days', 4) | int %}

with

reference_rates as (
    select * from {{ ref('stg_ecb_fx__reference_rates') }}
),

seed_rates as (
    select * from {{ ref('fx_rates_daily') }}
),

eur_quotes as (
    select
        rate_date,
        currency,
        units_per_base as units_per_eur
    from reference_rates
    where base_currency = 'EUR'
),

quotes as (
    select * from eur_quotes
    union all
    select distinct
        rate_date,
        'EUR' as currency,
        cast(1 as decimal(18, 4)) as units_per_eur
    from eur_quotes
),

reporting_per_eur as (
    select
        rate_date,
        units_per_eur as reporting_per_eur
    from quotes
    where currency = '{{ reporting_currency }}'
),

cross_rates as (
    select
        quotes.rate_date as observed_on,
        quotes.currency,
        cast(reporting_per_eur.reporting_per_eur / quotes.units_per_eur as decimal(18, 8)) as rate_to_reporting
    from quotes
    inner join reporting_per_eur
        on reporting_per_eur.rate_date = quotes.rate_date
),

-- How many days a cross rate may be carried forward: 0 (its own day) to var('fx_max_stale_days').
ages as (
    {%- for age in range(max_stale_days + 1) %}
    select {{ age }} as age
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

carried_forward as (
    select
        cast({{ dbt.dateadd('day', 'ages.age', 'cross_rates.observed_on') }} as date) as rate_date,
        cross_rates.currency,
        cross_rates.rate_to_reporting,
        ages.age
    from cross_rates
    cross join ages
),

ranked as (
    select
        carried_forward.*,
        row_number() over (
            partition by carried_forward.rate_date, carried_forward.currency
            order by carried_forward.age
        ) as recency
    from carried_forward
),

ecb_rates as (
    select
        rate_date,
        currency,
        rate_to_reporting
    from ranked
    where recency = 1
),

combined as (
    select
        coalesce(ecb_rates.rate_date, seed_rates.rate_date) as rate_date,
        coalesce(ecb_rates.currency, seed_rates.currency) as currency,
        case
            when coalesce(ecb_rates.currency, seed_rates.currency) = '{{ reporting_currency }}'
                then cast(1 as decimal(18, 8))
            else cast(coalesce(ecb_rates.rate_to_reporting, seed_rates.rate_to_reporting) as decimal(18, 8))
        end as rate_to_reporting,
        case when ecb_rates.rate_to_reporting is not null then 'ecb' else 'seed' end as rate_source
    from ecb_rates
    full outer join seed_rates
        on seed_rates.rate_date = ecb_rates.rate_date
        and seed_rates.currency = ecb_rates.currency
),

final as (
    select * from combined
)

select * from final

-- Ad insights with money converted to var('reporting_currency') at the FX rate of the activity day
-- (int_fx_rates_daily: the ECB's reference rate of the day or carried over a weekend, else the seed's).
-- A currency/day without a rate keeps fx_rate null here (never 0) and the fx_rate_is_known test on this
-- model fails the build, naming the currency, before any mart is built.

with

ad_insights as (
    select * from {{ ref('int_ad_insights_unioned') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_daily') }}
),

converted as (
    select
        ad_insights.*,
        fx_rates.rate_to_reporting as fx_rate,
        {{ to_reporting_currency('ad_insights.spend_native', 'fx_rates.rate_to_reporting') }} as spend,
        {{ to_reporting_currency('ad_insights.platform_conversion_value_native', 'fx_rates.rate_to_reporting') }}
            as platform_conversion_value,
    from ad_insights
    left join fx_rates
        on fx_rates.currency = ad_insights.account_currency
        and fx_rates.rate_date = ad_insights.date_day
),

final as (
    select * from converted
)

select * from final

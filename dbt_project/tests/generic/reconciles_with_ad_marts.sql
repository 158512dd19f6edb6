{#
    An ad platform's staging model (its raw rows, renamed) against both ad marts, per account and day: spend in
    the account's currency, spend in the reporting currency (each raw row converted at its day's rate, as the
    design says), impressions and clicks. Applied once in each platform's staging YAML, so a platform that joins
    the union is reconciled without editing this file. Returns each (mart, account, day) that differs or is on
    one side only. The column arguments name the staging model's columns where they are not the common shape's
    (Meta's staging keeps its API names: date_start, spend, inline_link_clicks).
#}
{% test reconciles_with_ad_marts(model, platform, day='date_day', spend='spend_native', clicks='clicks') %}
    {{ config(store_failures=true, severity='error') }}

    with

    staged as (
        select * from {{ model }}
    ),

    ad_performance as (
        select * from {{ ref('ad_performance_daily') }}
        where platform = '{{ platform }}'
    ),

    ad_spend as (
        select * from {{ ref('ad_spend_daily') }}
        where platform = '{{ platform }}'
    ),

    fx_rates as (
        select * from {{ ref('int_fx_rates_daily') }}
    ),

    -- The currency each account's money is in, as the marts state it (report rows of some platforms carry none:
    -- it comes from the account's settings); the rate itself is read here, not taken from the marts.
    account_currencies as (
        select distinct account_id, account_currency from ad_performance
    ),

    raw_totals as (
        select
            staged.account_id,
            staged.{{ day }} as date_day,
            sum(staged.{{ spend }}) as spend_native,
            sum({{ to_reporting_currency('staged.' ~ spend, 'fx_rates.rate_to_reporting') }}) as spend,
            sum(staged.impressions) as impressions,
            sum(staged.{{ clicks }}) as clicks
        from staged
        left join account_currencies
            on account_currencies.account_id = staged.account_id
        left join fx_rates
            on fx_rates.currency = account_currencies.account_currency
            and fx_rates.rate_date = staged.{{ day }}
        group by staged.account_id, staged.{{ day }}
    ),

    mart_totals as (
        select
            'ad_performance_daily' as mart,
            account_id,
            date_day,
            sum(spend_native) as spend_native,
            sum(spend) as spend,
            sum(impressions) as impressions,
            sum(clicks) as clicks
        from ad_performance
        group by account_id, date_day

        union all

        select
            'ad_spend_daily' as mart,
            account_id,
            date_day,
            sum(spend_native) as spend_native,
            sum(spend) as spend,
            sum(impressions) as impressions,
            sum(clicks) as clicks
        from ad_spend
        group by account_id, date_day
    ),

    expected as (
        select marts.mart, raw_totals.*
        from raw_totals
        cross join (select distinct mart from mart_totals union select 'ad_performance_daily') as marts
    ),

    compared as (
        select
            coalesce(expected.mart, mart_totals.mart) as mart,
            coalesce(expected.account_id, mart_totals.account_id) as account_id,
            coalesce(expected.date_day, mart_totals.date_day) as date_day,
            expected.spend_native as raw_spend_native,
            mart_totals.spend_native as mart_spend_native,
            expected.spend as raw_spend,
            mart_totals.spend as mart_spend,
            expected.impressions as raw_impressions,
            mart_totals.impressions as mart_impressions,
            expected.clicks as raw_clicks,
            mart_totals.clicks as mart_clicks
        from expected
        full outer join mart_totals
            on mart_totals.mart = expected.mart
            and mart_totals.account_id = expected.account_id
            and mart_totals.date_day = expected.date_day
    ),

    final as (
        select
            'source={{ platform }} account=' || account_id || ' day=' || cast(date_day as varchar) || ' mart=' || mart
                || ': raw and mart disagree on spend, impressions or clicks' as problem,
            compared.*
        from compared
        where raw_spend_native is distinct from mart_spend_native
            or raw_spend is distinct from mart_spend
            or raw_impressions is distinct from mart_impressions
            or raw_clicks is distinct from mart_clicks
    )

    select * from final
{% endtest %}

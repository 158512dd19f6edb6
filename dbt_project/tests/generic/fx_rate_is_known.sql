{#
    Every row has an FX rate to the reporting currency. Returns one row per (currency, day) without a rate,
    naming the currency, and stores them (store_failures) so the build's failure message can show them.
    An unknown currency or a day past the end of the rates must stop the build, never turn into null or 0.
#}
{% test fx_rate_is_known(model, column_name, currency_column, date_column) %}
    {{ config(store_failures=true, severity='error') }}

    with

    rows_without_rate as (
        select
            {{ currency_column }} as currency,
            {{ date_column }} as rate_date,
            count(*) as rows_without_rate,
        from {{ model }}
        where {{ column_name }} is null
        group by all
    ),

    final as (
        select
            'no FX rate to {{ var("reporting_currency") }} for currency '
                || coalesce(currency, '<null>') || ' on ' || coalesce(cast(rate_date as varchar), '<null>')
                as problem,
            currency,
            rate_date,
            rows_without_rate,
        from rows_without_rate
        order by currency, rate_date
    )

    select * from final
{% endtest %}

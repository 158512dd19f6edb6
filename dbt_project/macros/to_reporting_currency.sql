{#
    A native amount times its FX rate to the reporting currency, rounded to 4 decimals. The amount is widened
    first: decimal(18,4) * decimal(18,8) would otherwise overflow above a million. A null rate gives null,
    never 0; the fx_rate_is_known test fails the build on it.
#}
{% macro to_reporting_currency(amount, fx_rate) -%}
    cast(cast({{ amount }} as decimal(38, 4)) * {{ fx_rate }} as decimal(18, 4))
{%- endmacro %}

{#
    numerator / denominator as double, null when the denominator is zero or null (a ratio with nothing under
    it is unknown, not zero). Callers pass sums so every ratio is a ratio of sums at the grain reported.
#}
{% macro safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}

{#
    md5 of the given columns, each cast to varchar, nulls replaced by a marker and joined with a separator,
    so (null, 'a') and ('', 'a') and ('a', null) all hash differently.
#}
{% macro surrogate_key(columns) -%}
    md5(
        {%- for column in columns %}
        coalesce(cast({{ column }} as varchar), '_null_'){% if not loop.last %} || '|' ||{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

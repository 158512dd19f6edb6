{#
    The sum of `value_key` over the entries of a JSON list whose `match_key` equals `match_value`, as
    decimal(18,4); 0 when the list is absent, empty or has no such entry. Row by row (no unnest and regroup),
    so a filter on the calling model's other columns reaches the raw scan and an incremental build reads only
    the rows it rebuilds.
#}
{% macro sum_json_list(json_list, match_key, match_value, value_key='value') -%}
    cast(coalesce(list_sum(list_transform(
        list_filter(cast({{ json_list }} as json[]), lambda entry: entry->>'{{ match_key }}' = '{{ match_value }}'),
        lambda entry: cast(entry->>'{{ value_key }}' as decimal(18, 4))
    )), 0) as decimal(18, 4))
{%- endmacro %}

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

{#
    sum_json_list for the first of `match_values` the list carries at all (precedence), 0 when it carries none:
    a platform that reports one event under several names (Graph API purchase, omni_purchase) counts it once.
#}
{% macro sum_json_list_first_of(json_list, match_key, match_values, value_key='value') -%}
    cast(coalesce(
        {%- for match_value in match_values %}
        list_sum(list_transform(
            list_filter(cast({{ json_list }} as json[]), lambda entry: entry->>'{{ match_key }}' = '{{ match_value }}'),
            lambda entry: cast(entry->>'{{ value_key }}' as decimal(18, 4))
        )),
        {%- endfor %}
        0
    ) as decimal(18, 4))
{%- endmacro %}

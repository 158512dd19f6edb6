{#- A JSON list of strings (a post's topic tags) as one text, the items joined by ',' in their order; null when the
    list is absent or empty. Posts keep their tags as text so every engine can filter them with a LIKE. -#}
{% macro join_json_string_list(json_list) -%}
    nullif(array_to_string(cast(json_extract_string({{ json_list }}, '$[*]') as varchar[]), ','), '')
{%- endmacro %}

{#- The columns the loader stamps on every raw row (which run and window brought it, when it was extracted and
    loaded), selected unchanged by every staging model so any mart row can be traced back to its landing. -#}
{% macro load_lineage_columns(relation='source') -%}
    {{ relation }}._run_id,
        {{ relation }}._window_start,
        {{ relation }}._window_end,
        {{ relation }}._extracted_at,
        {{ relation }}._loaded_at
{%- endmacro %}

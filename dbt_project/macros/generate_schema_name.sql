{#
    Schemas are exactly the names set in dbt_project.yml (staging, intermediate, marts, seeds), not dbt's
    default <target_schema>_<custom_schema>: the marts are a public contract and keep their plain names.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

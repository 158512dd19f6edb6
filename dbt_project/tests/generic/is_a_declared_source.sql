{#
    Every value of the column names a declared source (the dbt sources generated from the catalog, not the loader's bookkeeping), so a
    platform column never carries a name the pipeline does not know, and adding a source needs no list here.
#}
{% test is_a_declared_source(model, column_name) %}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() -%}
            {%- if node.source_name not in names and not node.source_meta.get('bookkeeping') -%}
                {%- do names.append(node.source_name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif %}

    select {{ column_name }} as unknown_source, count(*) as rows_with_it
    from {{ model }}
    where {{ column_name }} is not null
        and {{ column_name }} not in ({% for name in names %}'{{ name }}'{% if not loop.last %}, {% endif %}{% endfor %})
    group by {{ column_name }}
{% endtest %}

{#
    The combination of columns is unique: returns each duplicated combination with how often it occurs.
    Use it for composite primary keys (add not_null on each key column beside it).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- set columns_csv = combination_of_columns | join(', ') %}

    with

    grouped as (
        select
            {{ columns_csv }},
            count(*) as occurrences,
        from {{ model }}
        group by {{ columns_csv }}
    ),

    final as (
        select * from grouped
        where occurrences > 1
    )

    select * from final
{% endtest %}

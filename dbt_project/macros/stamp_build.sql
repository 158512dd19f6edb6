{#
    Build stamps: which build last wrote each mart, so publish can refuse a mix of marts from different builds
    (a build killed half-way leaves some marts new and the rest as the previous build left them).

    `create_build_stamps_table` runs once per dbt invocation (on-run-start), before any model, so parallel
    models never race to create it. `stamp_build` is every mart's post-hook: it runs inside the model's own
    transaction, so the table and its stamp are committed together or not at all.

    The build id is MW_BUILD_ID, set by warehouse/dbt_build.py:run_dbt_build to the id it recorded in
    _pipeline.builds before dbt started; a bare `dbt build` stamps dbt's invocation_id, which no recorded build
    has, so its marts are never published as a pipeline build's. The id is read only at execution time: read
    while parsing, it would make dbt re-parse every mart on every build.
#}
{% macro create_build_stamps_table() -%}
    create schema if not exists _pipeline;
    create table if not exists _pipeline.mart_builds (
        schema_name varchar not null,
        model_name varchar not null,
        build_id varchar not null,
        built_at timestamptz not null,
        primary key (schema_name, model_name)
    )
{%- endmacro %}

{% macro stamp_build() -%}
    {%- set build_id = env_var('MW_BUILD_ID', invocation_id) if execute else '' -%}
    insert or replace into _pipeline.mart_builds (schema_name, model_name, build_id, built_at)
    values (
        '{{ this.schema | replace("'", "''") }}',
        '{{ this.identifier | replace("'", "''") }}',
        '{{ build_id | replace("'", "''") }}',
        current_timestamp
    )
{%- endmacro %}

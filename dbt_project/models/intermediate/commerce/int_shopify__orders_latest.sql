-- The latest version of each order: greatest updated_at; two rows with the same updated_at (the same
-- version landed by two runs) go to the later load, then the later extraction, then the greater run id,
-- so the pick never depends on scan order. (order_id, updated_at, _run_id) is unique in staging.
--
-- Incremental: a run re-ranks only the orders that gained a version since the table was last built.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='order_id',
    on_schema_change='fail',
) }}

with

order_versions as (
    select * from {{ ref('stg_shopify__orders') }}
),

{% if is_incremental() %}
changed_orders as (
    select distinct order_id
    from order_versions
    where _loaded_at > (select max(_loaded_at) from {{ this }})
),
{% endif %}

ranked as (
    select
        *,
        row_number() over (
            partition by order_id
            order by updated_at desc, _loaded_at desc, _extracted_at desc, _run_id desc
        ) as version_rank,
        count(*) over (partition by order_id) as versions_seen,
    from order_versions
    {% if is_incremental() %}
    where order_id in (select order_id from changed_orders)
    {% endif %}
),

final as (
    select * exclude (version_rank)
    from ranked
    where version_rank = 1
)

select * from final

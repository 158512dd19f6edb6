-- Mart spend_native per (account, day) equals the sum of raw spend per (account, date_start), read straight
-- from the source (its typed columns), for both ad marts. Returns each (mart, account, day) that differs or is
-- missing on one side.
{{ config(store_failures=true) }}

with

raw_insights as (
    select * from {{ source('meta', 'ads_insights') }}
),

ad_performance as (
    select * from {{ ref('ad_performance_daily') }}
),

ad_spend as (
    select * from {{ ref('ad_spend_daily') }}
),

raw_spend as (
    select
        account as account_id,
        date_start as date_day,
        sum(spend) as raw_spend_native,
    from raw_insights
    group by all
),

mart_spend as (
    select
        'ad_performance_daily' as mart,
        account_id,
        date_day,
        sum(spend_native) as mart_spend_native,
    from ad_performance
    where platform = 'meta'
    group by all

    union all

    select
        'ad_spend_daily' as mart,
        account_id,
        date_day,
        sum(spend_native) as mart_spend_native,
    from ad_spend
    where platform = 'meta'
    group by all
),

marts as (
    select unnest(['ad_performance_daily', 'ad_spend_daily']) as mart
),

expected as (
    select
        marts.mart,
        raw_spend.account_id,
        raw_spend.date_day,
        raw_spend.raw_spend_native,
    from marts
    cross join raw_spend
),

compared as (
    select
        coalesce(expected.mart, mart_spend.mart) as mart,
        coalesce(expected.account_id, mart_spend.account_id) as account_id,
        coalesce(expected.date_day, mart_spend.date_day) as date_day,
        expected.raw_spend_native,
        mart_spend.mart_spend_native,
    from expected
    full outer join mart_spend
        on mart_spend.mart = expected.mart
        and mart_spend.account_id = expected.account_id
        and mart_spend.date_day = expected.date_day
),

final as (
    select * from compared
    where raw_spend_native is distinct from mart_spend_native
)

select * from final

-- One row per Beijing day of the account's fans data, in the common account-day shape (macro
-- social_account_daily_columns): followers = total_fans at the day's end, follows = new_fans during it.
-- unfollows is null: Douyin's API does not report them (social_account_daily derives them from the change in
-- followers).

with

source as (
    select * from {{ source('douyin', 'fans_daily') }}
),

renamed as (
    select
        'douyin' as platform,
        source.account as account_id,
        source.date as date_day,
        source.total_fans as followers,
        source.new_fans as follows,
        cast(null as bigint) as unfollows,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select
        {{ social_account_daily_columns() }},
        _run_id,
        _extracted_at
    from renamed
)

select * from final

-- One row per day and follow source: new followers from that source and the day's unfollows (booked under
-- user_source 0), Beijing days.

with

source as (
    select * from {{ source('wechat_oa', 'user_summary') }}
),

renamed as (
    select
        source.account as account_id,
        source.ref_date as date_day,
        source.user_source,
        source.new_user as follows,
        source.cancel_user as unfollows,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select * from renamed
)

select * from final

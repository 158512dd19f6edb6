-- One row per day: the account's followers at the end of that Beijing day.

with

source as (
    select * from {{ source('wechat_oa', 'user_cumulate') }}
),

renamed as (
    select
        source.account as account_id,
        source.ref_date as date_day,
        source.cumulate_user as followers,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select * from renamed
)

select * from final

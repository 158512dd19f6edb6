-- One row per Beijing day a snapshot of the account's totals (data/user/stat) was taken, in the common account-day
-- shape (macro social_account_daily_columns): followers = follower (粉丝数) when the snapshot was taken, shortly
-- after the day ended (the API tells the total now, never a past day's). follows and unfollows are null: Bilibili's
-- Open Platform reports neither (social_account_daily derives the net change from the followers).

with

source as (
    select * from {{ source('bilibili', 'user_stat_snapshots') }}
),

renamed as (
    select
        'bilibili' as platform,
        source.account as account_id,
        source.snapshot_date as date_day,
        source.follower_count as followers,
        cast(null as bigint) as follows,
        cast(null as bigint) as unfollows,
        source.following_count as following,
        source.arc_passed_total as archives_passed,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select
        {{ social_account_daily_columns() }},
        following,
        archives_passed,
        _run_id,
        _extracted_at
    from renamed
)

select * from final

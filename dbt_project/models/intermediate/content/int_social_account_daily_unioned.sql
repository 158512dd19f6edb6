-- Every organic platform's accounts per local day in one shape (macro social_account_daily_columns): followers at
-- the day's end, the day's follows and unfollows where the platform reports them. A new platform adds one
-- `union all` line below.

with

unioned as (
    select {{ social_account_daily_columns() }} from {{ ref('int_wechat_oa__account_daily') }}
    union all select {{ social_account_daily_columns() }} from {{ ref('stg_douyin__account_daily') }}
    union all select {{ social_account_daily_columns() }} from {{ ref('int_instagram__account_daily') }}
    union all select {{ social_account_daily_columns() }} from {{ ref('stg_bilibili__account_daily') }}
),

final as (
    select * from unioned
)

select * from final

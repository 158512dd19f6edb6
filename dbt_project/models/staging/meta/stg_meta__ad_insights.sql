with

source as (
    select * from {{ source('meta', 'ads_insights') }}
),

renamed as (
    select
        account as account_id,
        record->>'account_id' as meta_account_number,
        record->>'account_currency' as account_currency,
        record->>'campaign_id' as campaign_id,
        record->>'campaign_name' as campaign_name,
        record->>'adset_id' as adset_id,
        record->>'adset_name' as adset_name,
        record->>'ad_id' as ad_id,
        record->>'ad_name' as ad_name,
        date_start,
        cast(record->>'date_stop' as date) as date_stop,
        cast(record->>'spend' as decimal(18, 4)) as spend,
        cast(record->>'impressions' as bigint) as impressions,
        cast(record->>'clicks' as bigint) as clicks,
        cast(record->>'inline_link_clicks' as bigint) as inline_link_clicks,
        record->'actions' as actions,
        record->'action_values' as action_values,
        _run_id,
        _window_start,
        _window_end,
        _extracted_at,
        _loaded_at,
    from source
),

final as (
    select * from renamed
)

select * from final

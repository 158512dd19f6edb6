-- Renames only: the loader typed every column once (extractors/meta/source.py declares them), so nothing
-- here parses JSON or casts.

with

source as (
    select * from {{ source('meta', 'ads_insights') }}
),

renamed as (
    select
        source.account as account_id,
        source.account_id as meta_account_number,
        source.account_currency,
        source.campaign_id,
        source.campaign_name,
        source.adset_id,
        source.adset_name,
        source.ad_id,
        source.ad_name,
        source.date_start,
        source.date_stop,
        source.spend,
        source.impressions,
        source.clicks,
        source.inline_link_clicks,
        source.actions,
        source.action_values,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select * from renamed
)

select * from final

-- Renames and casts only: the loader typed every column once (extractors/ocean_engine/source.py declares
-- them), so nothing here parses JSON. The columns of the common ad-platform shape (macro ad_platform_columns)
-- come first, then Ocean Engine's own.
--   Levels: upgraded (体验版) accounts have two, project (the campaign) and promotion (the ad); no middle level
--   exists, so adset_id / adset_name are null.
--   Rows carry no currency: account_currency is null and int_ad_insights_unioned takes the advertiser's (CNY)
--   from its settings.
--   Ocean Engine counts one kind of click: clicks and all_clicks are both click_cnt.

with

source as (
    select * from {{ source('ocean_engine', 'ad_report_daily') }}
),

renamed as (
    select
        'ocean_engine' as platform,
        source.account as account_id,
        cast(null as varchar) as account_currency,
        source.cdp_project_id as campaign_id,
        source.cdp_project_name as campaign_name,
        cast(null as varchar) as adset_id,
        cast(null as varchar) as adset_name,
        source.cdp_promotion_id as ad_id,
        source.cdp_promotion_name as ad_name,
        source.stat_time_day as date_day,
        source.stat_cost as spend_native,
        source.show_cnt as impressions,
        source.click_cnt as clicks,
        source.click_cnt as all_clicks,
        cast(source.convert_cnt as decimal(18, 4)) as platform_conversions,
        source.active_pay_amount as platform_conversion_value_native,
        source.convert_cnt,
        {{ load_lineage_columns('source') }}
    from source
),

final as (
    select * from renamed
)

select * from final

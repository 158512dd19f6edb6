-- One row per platform × account × ad × day. Ratios are ratios of the row's own sums (this grain has one
-- row per key, so the sums are the row's values); coarser grains must re-aggregate the sums, never
-- average these ratios.
--
-- Incremental: a daily run rebuilds only the (platform, account, day) partitions inside the raw windows
-- loaded since the mart was last built (each run's restatement lookback, or a backfill's range), so its
-- cost follows the window, not the history. `dbt build --full-refresh` rebuilds everything.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['platform', 'account_id', 'date_day'],
    on_schema_change='fail',
) }}

with

ad_insights as (
    select * from {{ ref('int_ad_insights_in_reporting_currency') }}
),

{% if is_incremental() %}
reloaded_windows as (
    select
        platform,
        account_id,
        min(_window_start) as window_start,
        max(_window_end) as window_end,
    from ad_insights
    where _loaded_at > (select max(_loaded_at) from {{ this }})
    group by platform, account_id
),
{% endif %}

rebuilt as (
    select ad_insights.*
    from ad_insights
    {% if is_incremental() %}
    inner join reloaded_windows
        on reloaded_windows.platform = ad_insights.platform
        and reloaded_windows.account_id = ad_insights.account_id
        and ad_insights.date_day >= reloaded_windows.window_start
        and ad_insights.date_day < reloaded_windows.window_end
    {% endif %}
),

final as (
    select
        {{ surrogate_key(['platform', 'account_id', 'ad_id', 'date_day']) }} as ad_performance_id,
        platform,
        account_id,
        campaign_id,
        campaign_name,
        adset_id,
        adset_name,
        ad_id,
        ad_name,
        date_day,
        account_currency,
        account_timezone,
        cast(fx_rate as decimal(18, 8)) as fx_rate,
        cast(spend as decimal(18, 4)) as spend,
        cast(spend_native as decimal(18, 4)) as spend_native,
        cast(impressions as bigint) as impressions,
        cast(clicks as bigint) as clicks,
        cast(all_clicks as bigint) as all_clicks,
        cast(platform_conversions as decimal(18, 4)) as platform_conversions,
        cast(platform_conversion_value as decimal(18, 4)) as platform_conversion_value,
        cast(platform_conversion_value_native as decimal(18, 4)) as platform_conversion_value_native,
        {{ ad_efficiency_ratios() }}
        _loaded_at
    from rebuilt
)

select * from final

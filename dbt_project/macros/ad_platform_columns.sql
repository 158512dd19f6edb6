{#- The columns every ad platform brings to int_ad_insights_unioned, in one order so `union all` lines them up:
    platform, the account the extraction asked for, the three levels (Google: campaign / ad group / ad), the
    account's local day, money in the account's currency (null currency: the account's settings say it), counts,
    and the raw load the row came from. Types: spend_native and the conversion figures decimal(18,4), counts
    bigint, date_day date. -#}
{% macro ad_platform_columns() -%}
    platform,
    account_id,
    account_currency,
    campaign_id,
    campaign_name,
    adset_id,
    adset_name,
    ad_id,
    ad_name,
    date_day,
    spend_native,
    impressions,
    clicks,
    all_clicks,
    platform_conversions,
    platform_conversion_value_native,
    _window_start,
    _window_end,
    _loaded_at
{%- endmacro %}

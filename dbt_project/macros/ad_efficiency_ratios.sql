{#-
  The DESIGN.md ratios for ad delivery, each a ratio of the sums at the grain of the calling model (never
  an average of ratios): ctr, cpc, cpm, cvr, cpa and platform_roas (platform-reported value / spend).
  Expects columns spend, impressions, clicks, platform_conversions and platform_conversion_value.
-#}
{% macro ad_efficiency_ratios() -%}
        {{ safe_divide('clicks', 'impressions') }} as ctr,
        {{ safe_divide('spend', 'clicks') }} as cpc,
        {{ safe_divide('spend * 1000', 'impressions') }} as cpm,
        {{ safe_divide('platform_conversions', 'clicks') }} as cvr,
        {{ safe_divide('spend', 'platform_conversions') }} as cpa,
        {{ safe_divide('platform_conversion_value', 'spend') }} as platform_roas,
{%- endmacro %}

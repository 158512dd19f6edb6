{#-
  The additive ad-delivery figures summed to the calling model's grain, the sums every ratio is then
  recomputed from (ad_efficiency_ratios). native=false leaves out the account-currency amounts, which do
  not add up across accounts in different currencies.
-#}
{% macro sum_ad_delivery(native=true) -%}
        sum(spend) as spend,
        {% if native %}sum(spend_native) as spend_native,{% endif %}
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(all_clicks) as all_clicks,
        sum(platform_conversions) as platform_conversions,
        {% if native %}sum(platform_conversion_value_native) as platform_conversion_value_native,{% endif %}
        sum(platform_conversion_value) as platform_conversion_value
{%- endmacro %}

{#- The counters every post snapshot carries, in the order the content marts list them. -#}
{% macro content_counters() -%}
    {{ return(['views', 'likes', 'comments', 'shares', 'saves']) }}
{%- endmacro %}

{#- Engagements (互动) of a row: likes + comments + shares + saves, the design's numerator of engagement rate. A
    counter the platform does not report at all (Douyin has no saves) is null in staging and counts as none here,
    so a platform's engagements are the interactions it reports. `prefix` / `suffix` name other columns
    (likes_gained ...). -#}
{% macro engagements(prefix='', suffix='') -%}
    (coalesce({{ prefix }}likes{{ suffix }}, 0) + coalesce({{ prefix }}comments{{ suffix }}, 0)
        + coalesce({{ prefix }}shares{{ suffix }}, 0) + coalesce({{ prefix }}saves{{ suffix }}, 0))
{%- endmacro %}

{#- The viral threshold (爆款) for a platform column: content_viral_thresholds' entry for it, else
    content_viral_threshold. -#}
{% macro viral_threshold(platform_column) -%}
    {%- set overrides = var('content_viral_thresholds', {}) -%}
    {%- if overrides -%}
    case {{ platform_column }}
        {%- for platform, threshold in overrides.items() %}
        when '{{ platform }}' then {{ threshold }}
        {%- endfor %}
        else {{ var('content_viral_threshold') }}
    end
    {%- else -%}
    {{ var('content_viral_threshold') }}
    {%- endif -%}
{%- endmacro %}

-- One row per campaign and day from the campaign's first day with delivery through its account's last day
-- with data (days without delivery included, as zeros), with the campaign's trailing baseline and a flag per
-- anomaly rule. Thresholds are vars (dbt_project.yml, "Delivery anomaly rules"):
--   spend_spike      spend ≥ spike_ratio × baseline median and ≥ threshold robust deviations above it;
--   spend_collapse   0 < spend ≤ collapse_ratio × median and ≥ threshold robust deviations below it;
--   zero_delivery    no spend after spending on each of the previous active_days days;
--   ctr_collapse     on ≥ min_impressions impressions, CTR ≤ ctr_ratio × its median and ≥ threshold robust
--                    deviations below it;
--   tracking_broke   no conversion while clicks go on (≥ half their median), for a campaign converting at
--                    least min_baseline_conversions a day.
-- The baseline is the median and MAD of the previous baseline_days days (not the day itself); a robust
-- deviation is 1.4826 × MAD, at least min_relative_spread × the median. No rule fires before the campaign has
-- min_history_days days of history. A campaign that ends on schedule is flagged zero_delivery on its first
-- day off: the platforms' reports carry no end date to tell a planned stop from a broken one.

{% set baseline = var('anomaly_baseline_days') %}

with

campaign_performance as (
    select * from {{ ref('campaign_performance_daily') }}
),

accounts_through as (
    select
        platform,
        account_id,
        max(date_day) as last_day
    from campaign_performance
    group by platform, account_id
),

campaigns as (
    select
        platform,
        account_id,
        campaign_id,
        max(channel) as channel,
        min(date_day) as first_day
    from campaign_performance
    group by platform, account_id, campaign_id
),

campaign_days as (
    select
        campaigns.platform,
        campaigns.account_id,
        campaigns.campaign_id,
        campaigns.channel,
        campaigns.first_day,
        cast(unnest(generate_series(
            cast(campaigns.first_day as timestamp), cast(accounts_through.last_day as timestamp), interval 1 day
        )) as date) as date_day
    from campaigns
    inner join accounts_through
        on accounts_through.platform = campaigns.platform
        and accounts_through.account_id = campaigns.account_id
),

daily as (
    select
        campaign_days.*,
        campaign_performance.campaign_name,
        coalesce(campaign_performance.spend, 0) as spend,
        coalesce(campaign_performance.impressions, 0) as impressions,
        coalesce(campaign_performance.clicks, 0) as clicks,
        coalesce(campaign_performance.platform_conversions, 0) as platform_conversions,
        campaign_performance.ctr
    from campaign_days
    left join campaign_performance
        on campaign_performance.platform = campaign_days.platform
        and campaign_performance.account_id = campaign_days.account_id
        and campaign_performance.campaign_id is not distinct from campaign_days.campaign_id
        and campaign_performance.date_day = campaign_days.date_day
),

baselines as (
    select
        daily.*,
        date_diff('day', first_day, date_day) as days_of_history,
        median(spend) over baseline_window as spend_baseline,
        mad(spend) over baseline_window as spend_mad,
        median(ctr) over baseline_window as ctr_baseline,
        mad(ctr) over baseline_window as ctr_mad,
        median(clicks) over baseline_window as clicks_baseline,
        median(platform_conversions) over baseline_window as conversions_baseline,
        count(case when spend > 0 then 1 end) over recent_window as recent_delivery_days
    from daily
    window
        baseline_window as (
            partition by platform, account_id, campaign_id order by date_day
            rows between {{ baseline }} preceding and 1 preceding
        ),
        recent_window as (
            partition by platform, account_id, campaign_id order by date_day
            rows between {{ var('anomaly_active_days') }} preceding and 1 preceding
        )
),

deviations as (
    select
        baselines.*,
        (spend - spend_baseline) / nullif(greatest(
            1.4826 * spend_mad, {{ var('anomaly_min_relative_spread') }} * spend_baseline
        ), 0) as spend_deviation,
        (ctr - ctr_baseline) / nullif(greatest(
            1.4826 * ctr_mad, {{ var('anomaly_min_relative_spread') }} * ctr_baseline
        ), 0) as ctr_deviation,
        days_of_history >= {{ var('anomaly_min_history_days') }} as has_history
    from baselines
),

flagged as (
    select
        deviations.*,
        coalesce(has_history
            and spend >= {{ var('anomaly_spike_ratio') }} * spend_baseline
            and spend_deviation >= {{ var('anomaly_threshold') }}, false) as is_spend_spike,
        coalesce(has_history
            and spend > 0
            and spend <= {{ var('anomaly_collapse_ratio') }} * spend_baseline
            and spend_deviation <= -{{ var('anomaly_threshold') }}, false) as is_spend_collapse,
        coalesce(has_history
            and spend = 0
            and recent_delivery_days >= {{ var('anomaly_active_days') }}, false) as is_zero_delivery,
        coalesce(has_history
            and impressions >= {{ var('anomaly_min_impressions') }}
            and ctr <= {{ var('anomaly_ctr_ratio') }} * ctr_baseline
            and ctr_deviation <= -{{ var('anomaly_threshold') }}, false) as is_ctr_collapse,
        coalesce(has_history
            and platform_conversions = 0
            and clicks > 0
            and clicks >= 0.5 * clicks_baseline
            and conversions_baseline >= {{ var('anomaly_min_baseline_conversions') }}, false) as is_tracking_broke
    from deviations
),

final as (
    select
        {{ surrogate_key(['platform', 'account_id', 'campaign_id', 'date_day']) }} as campaign_anomaly_id,
        platform,
        channel,
        account_id,
        campaign_id,
        campaign_name,
        date_day,
        cast(days_of_history as integer) as days_of_history,
        cast(spend as decimal(18, 4)) as spend,
        cast(spend_baseline as double) as spend_baseline,
        cast(spend_deviation as double) as spend_deviation,
        cast(impressions as bigint) as impressions,
        cast(clicks as bigint) as clicks,
        cast(ctr as double) as ctr,
        cast(ctr_baseline as double) as ctr_baseline,
        cast(ctr_deviation as double) as ctr_deviation,
        cast(platform_conversions as decimal(18, 4)) as platform_conversions,
        cast(conversions_baseline as double) as conversions_baseline,
        is_spend_spike,
        is_spend_collapse,
        is_zero_delivery,
        is_ctr_collapse,
        is_tracking_broke,
        is_spend_spike or is_spend_collapse or is_zero_delivery or is_ctr_collapse or is_tracking_broke
            as is_anomaly,
        nullif(concat_ws(', ',
            case when is_spend_spike then 'spend spike' end,
            case when is_spend_collapse then 'spend collapse' end,
            case when is_zero_delivery then 'zero delivery' end,
            case when is_ctr_collapse then 'CTR collapse' end,
            case when is_tracking_broke then 'conversions stopped while clicks continue' end
        ), '') as anomaly_reasons
    from flagged
)

select * from final

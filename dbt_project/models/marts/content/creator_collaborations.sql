-- One row per creator collaboration (a KOL/KOC note the brand paid for, 蒲公英 on Xiaohongshu): the creator, the
-- fee, the note's lifetime figures from its latest snapshot, and the shop orders whose landing link carried the
-- collaboration's id in utm_content (int_content_linked_orders).
--   fee in var('reporting_currency') at the FX rate of the publish day (fee_native in the platform's currency);
--   reach = the note's impressions (曝光), views = its reads (阅读); engagements = likes + comments + shares +
--   saves; engagement_rate = engagements / views; cpe = fee / engagements (cost per engagement);
--   cpm = fee / reach × 1000; roas = attributed GMV / fee, the GMV of the orders that carried the link
--   (first-party, last click by link); an unknown ratio (nothing under it) is null.

with

snapshots as (
    select * from {{ ref('int_creator_collaboration_snapshots_unioned') }}
),

linked_orders as (
    select * from {{ ref('int_content_linked_orders') }}
    where link_target = 'collaboration'
),

fx_rates as (
    select * from {{ ref('int_fx_rates_daily') }}
),

latest as (
    select * from snapshots
    qualify row_number() over (partition by platform, collaboration_id order by snapshot_date desc) = 1
),

orders_summed as (
    select
        platform,
        collaboration_id,
        count(*) as orders,
        count(*) filter (where is_new_customer) as new_customer_orders,
        sum(gmv) as gmv,
        sum(net_sales) as net_sales
    from linked_orders
    group by all
),

converted as (
    select
        latest.*,
        cast(timezone(latest.account_timezone, latest.published_at) as date) as published_date_local,
        -- A fee already in the reporting currency needs no rate (its days may predate the FX seed); any other
        -- currency without a rate that day stays null and fails the contract.
        case
            when latest.currency = '{{ var("reporting_currency") }}' then cast(latest.fee as decimal(18, 4))
            else {{ to_reporting_currency('latest.fee', 'fx_rates.rate_to_reporting') }}
        end as fee_reporting,
        {{ engagements('latest.') }} as engagements
    from latest
    left join fx_rates
        on fx_rates.currency = latest.currency
        and fx_rates.rate_date = cast(timezone(latest.account_timezone, latest.published_at) as date)
),

final as (
    select
        converted.platform,
        converted.collaboration_id,
        converted.creator_id,
        converted.creator_name,
        converted.creator_tier,
        converted.post_id,
        converted.title,
        converted.published_at,
        converted.published_date_local,
        cast(converted.fee_reporting as decimal(18, 4)) as fee,
        converted.fee as fee_native,
        converted.currency,
        converted.impressions as reach,
        converted.views,
        converted.likes,
        converted.comments,
        converted.shares,
        converted.saves,
        converted.engagements,
        {{ safe_divide('converted.engagements', 'converted.views') }} as engagement_rate,
        {{ safe_divide('converted.fee_reporting', 'converted.engagements') }} as cpe,
        {{ safe_divide('converted.fee_reporting * 1000', 'converted.impressions') }} as cpm,
        cast(coalesce(orders_summed.orders, 0) as bigint) as orders,
        cast(coalesce(orders_summed.new_customer_orders, 0) as bigint) as new_customer_orders,
        cast(coalesce(orders_summed.gmv, 0) as decimal(18, 4)) as gmv,
        cast(coalesce(orders_summed.net_sales, 0) as decimal(18, 4)) as net_sales,
        {{ safe_divide('coalesce(orders_summed.gmv, 0)', 'converted.fee_reporting') }} as roas,
        converted.snapshot_date as last_snapshot_date
    from converted
    left join orders_summed
        on orders_summed.platform = converted.platform
        and orders_summed.collaboration_id = converted.collaboration_id
)

select * from final

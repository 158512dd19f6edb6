-- The floor for `dbt build`: the same marts from the same raw tables, as one hand-written DuckDB script with
-- no tests, no views and no framework (bench/dbt_floor.py runs it and checks its marts equal dbt's row for
-- row). Read it as "what the work costs"; dbt's time above it is the price of tests, contracts and the
-- layered models. Like the sandbox, it reports in CNY and assumes the FX seed spans every day converted.

create schema if not exists floor;

-- Daily rates to CNY: the ECB's cross rate through EUR on its day or carried at most 4 days, else the seed's.
create or replace table floor.fx_rates as
with
quotes as (
    select rate_date, currency, units_per_base as units_per_eur
    from raw.ecb_fx__reference_rates where base_currency = 'EUR'
    union all
    select distinct rate_date, 'EUR', cast(1 as decimal(18, 4)) from raw.ecb_fx__reference_rates
),
cross_rates as (
    select q.rate_date, q.currency, cast(c.units_per_eur / q.units_per_eur as decimal(18, 8)) as rate
    from quotes as q
    inner join quotes as c on c.rate_date = q.rate_date and c.currency = 'CNY'
)
select
    s.rate_date,
    s.currency,
    case
        when s.currency = 'CNY' then cast(1 as decimal(18, 8))
        when e.rate_date >= s.rate_date - 4 then e.rate
        else s.rate_to_reporting
    end as rate_to_reporting
from seeds.fx_rates_daily as s
asof left join cross_rates as e on e.currency = s.currency and s.rate_date >= e.rate_date;

create or replace table floor.ad_performance_daily as
with
meta_purchases as (
    select account, ad_id, date_start, sum(cast(action->>'value' as decimal(18, 4))) as conversions
    from (select account, ad_id, date_start, unnest(cast(actions as json[])) as action from raw.meta__ads_insights)
    where action->>'action_type' = 'purchase'
    group by all
),
meta_purchase_values as (
    select account, ad_id, date_start, sum(cast(action->>'value' as decimal(18, 4))) as conversion_value
    from (
        select account, ad_id, date_start, unnest(cast(action_values as json[])) as action from raw.meta__ads_insights
    )
    where action->>'action_type' = 'purchase'
    group by all
),
rows as (
    select
        'meta' as platform, i.account as account_id, i.account_currency,
        i.campaign_id, i.campaign_name, i.adset_id, i.adset_name, i.ad_id, i.ad_name, i.date_start as date_day,
        i.spend as spend_native, i.impressions, i.inline_link_clicks as clicks, i.clicks as all_clicks,
        cast(coalesce(p.conversions, 0) as decimal(18, 4)) as platform_conversions,
        cast(coalesce(v.conversion_value, 0) as decimal(18, 4)) as value_native
    from raw.meta__ads_insights as i
    left join meta_purchases as p on p.account = i.account and p.ad_id = i.ad_id and p.date_start = i.date_start
    left join meta_purchase_values as v
        on v.account = i.account and v.ad_id = i.ad_id and v.date_start = i.date_start
    union all
    select
        'google_ads', account, currency_code, campaign_id, campaign_name, ad_group_id, ad_group_name, ad_id,
        ad_name, segments_date,
        cast(cast(cost_micros as decimal(38, 0)) * cast(0.000001 as decimal(7, 6)) as decimal(18, 4)),
        impressions, clicks, clicks, conversions, conversions_value
    from raw.google_ads__ad_group_ad_daily
    union all
    select
        'tiktok', account, null, campaign_id, campaign_name, adgroup_id, adgroup_name, ad_id, ad_name,
        cast(stat_time_day as date), spend, impressions, clicks, clicks, cast(complete_payment as decimal(18, 4)),
        total_complete_payment_rate
    from raw.tiktok__ad_report_daily
    union all
    select
        'ocean_engine', account, null, cdp_project_id, cdp_project_name, null, null, cdp_promotion_id,
        cdp_promotion_name, stat_time_day, stat_cost, show_cnt, click_cnt, click_cnt,
        cast(convert_cnt as decimal(18, 4)), active_pay_amount
    from raw.ocean_engine__ad_report_daily
),
joined as (
    select
        r.* exclude (account_currency),
        coalesce(r.account_currency, a.currency) as account_currency,
        a.timezone as account_timezone,
        fx.rate_to_reporting as fx_rate
    from rows as r
    left join raw.account_settings as a on a.source = r.platform and a.account = r.account_id
    left join floor.fx_rates as fx
        on fx.currency = coalesce(r.account_currency, a.currency) and fx.rate_date = r.date_day
)
select
    md5(platform || '|' || account_id || '|' || ad_id || '|' || cast(date_day as varchar)) as ad_performance_id,
    platform, account_id, campaign_id, campaign_name, adset_id, adset_name, ad_id, ad_name, date_day,
    account_currency, account_timezone,
    cast(fx_rate as decimal(18, 8)) as fx_rate,
    cast(cast(spend_native as decimal(38, 4)) * fx_rate as decimal(18, 4)) as spend,
    cast(spend_native as decimal(18, 4)) as spend_native,
    cast(impressions as bigint) as impressions,
    cast(clicks as bigint) as clicks,
    cast(all_clicks as bigint) as all_clicks,
    platform_conversions,
    cast(cast(value_native as decimal(38, 4)) * fx_rate as decimal(18, 4)) as platform_conversion_value,
    cast(value_native as decimal(18, 4)) as platform_conversion_value_native,
    cast(clicks as double) / nullif(cast(impressions as double), 0) as ctr,
    cast(cast(cast(spend_native as decimal(38, 4)) * fx_rate as decimal(18, 4)) as double)
        / nullif(cast(clicks as double), 0) as cpc,
    cast(cast(cast(spend_native as decimal(38, 4)) * fx_rate as decimal(18, 4)) * 1000 as double)
        / nullif(cast(impressions as double), 0) as cpm,
    cast(platform_conversions as double) / nullif(cast(clicks as double), 0) as cvr,
    cast(cast(cast(spend_native as decimal(38, 4)) * fx_rate as decimal(18, 4)) as double)
        / nullif(cast(platform_conversions as double), 0) as cpa,
    cast(cast(cast(value_native as decimal(38, 4)) * fx_rate as decimal(18, 4)) as double)
        / nullif(cast(cast(cast(spend_native as decimal(38, 4)) * fx_rate as decimal(18, 4)) as double), 0)
        as platform_roas
from joined;

-- One row per channel and day: every platform's ads summed, ratios of the sums.
create or replace table floor.channel_performance_daily as
with
channels as (
    select distinct platform, channel, channel_group from seeds.channel_mapping where platform is not null
),
summed as (
    select
        coalesce(c.channel, 'unmapped: ' || a.platform) as channel,
        coalesce(c.channel_group, 'unmapped') as channel_group,
        a.date_day,
        count(distinct a.platform) as platforms,
        count(distinct a.platform || '/' || a.account_id) as accounts,
        count(distinct (a.platform, a.account_id, a.campaign_id, a.account_currency, a.account_timezone))
            as campaigns_delivering,
        sum(a.spend) as spend, sum(a.impressions) as impressions, sum(a.clicks) as clicks,
        sum(a.all_clicks) as all_clicks, sum(a.platform_conversions) as platform_conversions,
        sum(a.platform_conversion_value) as platform_conversion_value
    from floor.ad_performance_daily as a
    left join channels as c on c.platform = a.platform
    group by all
)
select
    md5(channel || '|' || cast(date_day as varchar)) as channel_performance_id,
    channel, channel_group, date_day,
    cast(platforms as bigint) as platforms,
    cast(accounts as bigint) as accounts,
    cast(campaigns_delivering as bigint) as campaigns_delivering,
    cast(spend as decimal(18, 4)) as spend,
    cast(impressions as bigint) as impressions,
    cast(clicks as bigint) as clicks,
    cast(all_clicks as bigint) as all_clicks,
    cast(platform_conversions as decimal(18, 4)) as platform_conversions,
    cast(platform_conversion_value as decimal(18, 4)) as platform_conversion_value,
    cast(clicks as double) / nullif(cast(impressions as double), 0) as ctr,
    cast(spend as double) / nullif(cast(clicks as double), 0) as cpc,
    cast(spend * 1000 as double) / nullif(cast(impressions as double), 0) as cpm,
    cast(platform_conversions as double) / nullif(cast(clicks as double), 0) as cvr,
    cast(spend as double) / nullif(cast(platform_conversions as double), 0) as cpa,
    cast(platform_conversion_value as double) / nullif(cast(spend as double), 0) as platform_roas
from summed;

create or replace table floor.ad_spend_daily as
with summed as (
    select
        platform, account_id, date_day, account_currency,
        max(fx_rate) as fx_rate,
        count(*) as ads_delivering,
        sum(spend) as spend, sum(spend_native) as spend_native,
        sum(impressions) as impressions, sum(clicks) as clicks,
        sum(platform_conversions) as platform_conversions,
        sum(platform_conversion_value) as platform_conversion_value,
        sum(platform_conversion_value_native) as platform_conversion_value_native
    from floor.ad_performance_daily
    group by platform, account_id, date_day, account_currency
)
select
    md5(platform || '|' || account_id || '|' || cast(date_day as varchar)) as ad_spend_daily_id,
    platform, account_id, date_day, account_currency,
    cast(fx_rate as decimal(18, 8)) as fx_rate,
    cast(ads_delivering as bigint) as ads_delivering,
    cast(spend as decimal(18, 4)) as spend,
    cast(spend_native as decimal(18, 4)) as spend_native,
    cast(impressions as bigint) as impressions,
    cast(clicks as bigint) as clicks,
    cast(platform_conversions as decimal(18, 4)) as platform_conversions,
    cast(platform_conversion_value as decimal(18, 4)) as platform_conversion_value,
    cast(platform_conversion_value_native as decimal(18, 4)) as platform_conversion_value_native,
    cast(clicks as double) / nullif(cast(impressions as double), 0) as ctr,
    cast(spend as double) / nullif(cast(clicks as double), 0) as cpc,
    cast(spend * 1000 as double) / nullif(cast(impressions as double), 0) as cpm,
    cast(platform_conversions as double) / nullif(cast(clicks as double), 0) as cvr,
    cast(spend as double) / nullif(cast(platform_conversions as double), 0) as cpa,
    cast(platform_conversion_value as double) / nullif(cast(spend as double), 0) as platform_roas
from summed;

create or replace table floor.orders_converted as
with
latest as (
    select * from raw.shopify__orders
    qualify row_number() over (
        partition by order_id order by updated_at desc, _loaded_at desc, _extracted_at desc, _run_id desc
    ) = 1
),
refunds as (
    select order_id, sum(cast(t->>'amount' as decimal(18, 4))) as refunds
    from (select order_id, unnest(cast(json_extract(refunds, '$[*].transactions[*]') as json[])) as t from latest)
    where t->>'kind' = 'refund' and t->>'status' = 'success'
    group by order_id
),
enriched as (
    select
        l.*,
        cast(timezone('Asia/Shanghai', l.created_at) as date) as order_date,
        coalesce(l.customer_email_sha256, l.email_sha256) as customer_email,
        case
            when l.customer_id is not null then 'customer_id:' || l.customer_id
            when coalesce(l.customer_email_sha256, l.email_sha256) is not null
                then 'email_sha256:' || coalesce(l.customer_email_sha256, l.email_sha256)
            else 'order_id:' || l.order_id
        end as customer_key,
        coalesce(l.total_line_items_price, 0) as line_items_native,
        coalesce(l.total_shipping_price, 0) as shipping_native,
        coalesce(l.total_discounts, 0) as discounts_native,
        cast(coalesce(r.refunds, 0) as decimal(18, 4)) as refunds_native
    from latest as l
    left join refunds as r on r.order_id = l.order_id
),
sequenced as (
    select *, row_number() over (partition by customer_key order by created_at, order_id) as customer_order_sequence
    from enriched
)
select
    s.*,
    fx.rate_to_reporting as fx_rate,
    cast(line_items_native + shipping_native as decimal(18, 4)) as gmv_native,
    cast(line_items_native + shipping_native - discounts_native - refunds_native as decimal(18, 4)) as net_sales_native,
    cast(cast(cast(line_items_native + shipping_native as decimal(18, 4)) as decimal(38, 4)) * fx.rate_to_reporting
        as decimal(18, 4)) as gmv,
    cast(cast(discounts_native as decimal(38, 4)) * fx.rate_to_reporting as decimal(18, 4)) as discounts,
    cast(cast(refunds_native as decimal(38, 4)) * fx.rate_to_reporting as decimal(18, 4)) as refunds_converted
from sequenced as s
left join floor.fx_rates as fx on fx.currency = s.currency and fx.rate_date = s.order_date;

create or replace table floor.orders as
select
    order_id, name as order_name, account as shop, created_at, order_date, customer_id,
    customer_email as customer_email_sha256,
    cast(customer_order_sequence as bigint) as customer_order_sequence,
    customer_order_sequence = 1 as is_new_customer,
    currency,
    cast(fx_rate as decimal(18, 8)) as fx_rate,
    gmv, gmv_native, discounts, discounts_native,
    refunds_converted as refunds, refunds_native,
    cast(gmv - discounts - refunds_converted as decimal(18, 4)) as net_sales,
    net_sales_native,
    financial_status, fulfillment_status, cancelled_at,
    coalesce(test, false) as is_test,
    nullif(url_decode(replace(regexp_extract(landing_site, '[?&]utm_source=([^&#]*)', 1), '+', ' ')), '')
        as utm_source,
    nullif(url_decode(replace(regexp_extract(landing_site, '[?&]utm_medium=([^&#]*)', 1), '+', ' ')), '')
        as utm_medium,
    nullif(url_decode(replace(regexp_extract(landing_site, '[?&]utm_campaign=([^&#]*)', 1), '+', ' ')), '')
        as utm_campaign,
    updated_at
from floor.orders_converted;

create or replace table floor.sales_daily as
with
bounds as (
    select
        cast(timezone('Asia/Shanghai', timezone('UTC', cast(min(_window_start) as timestamp)))
            + interval 1 day - interval 1 microsecond as date) as first_day,
        cast(timezone('Asia/Shanghai', timezone('UTC', cast(max(_window_end) as timestamp))) as date) - 1 as last_day
    from raw.shopify__orders
),
summed as (
    select
        order_date,
        count(*) as orders,
        count(distinct customer_key) as customers,
        count(distinct case when customer_order_sequence = 1 then customer_key end) as new_customers,
        sum(gmv) as gmv, sum(discounts) as discounts, sum(refunds_converted) as refunds,
        sum(cast(gmv - discounts - refunds_converted as decimal(18, 4))) as net_sales
    from floor.orders_converted
    where order_date between (select first_day from bounds) and (select last_day from bounds)
    group by order_date
)
select
    order_date,
    cast(orders as bigint) as orders,
    cast(customers as bigint) as customers,
    cast(new_customers as bigint) as new_customers,
    cast(customers - new_customers as bigint) as returning_customers,
    cast(gmv as decimal(18, 4)) as gmv,
    cast(discounts as decimal(18, 4)) as discounts,
    cast(refunds as decimal(18, 4)) as refunds,
    cast(net_sales as decimal(18, 4)) as net_sales,
    cast(gmv as double) / nullif(cast(orders as double), 0) as aov
from summed;

drop table floor.orders_converted;
drop table floor.fx_rates;

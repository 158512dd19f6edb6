{{ config(store_failures=true) }}
-- A promotion a person typed wrong: an end before its start, a budget or target at or below zero, or two
-- promotions on the same days (a day would count towards both). Each failing row is returned.

with

promotions as (
    select * from {{ ref('promotions') }}
),

problems as (
    select
        promotions.promotion_id,
        case
            when promotions.end_date < promotions.start_date then 'end_date is before start_date'
            when promotions.spend_budget <= 0 then 'spend_budget is not positive'
            when promotions.gmv_target <= 0 then 'gmv_target is not positive (leave it empty for none)'
            when overlapping.promotion_id is not null then 'overlaps promotion ' || overlapping.promotion_id
        end as problem
    from promotions
    left join promotions as overlapping
        on overlapping.promotion_id <> promotions.promotion_id
        and overlapping.start_date <= promotions.end_date
        and overlapping.end_date >= promotions.start_date
)

select * from problems where problem is not null

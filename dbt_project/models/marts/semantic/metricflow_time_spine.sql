-- One row per day, the calendar the dbt semantic layer (MetricFlow) fills metric time series with. It spans
-- the sandbox world's history and the plan's future months; widen the two dates for a longer history.

with

days as (
    select cast(generate_series as date) as date_day
    from generate_series(timestamp '2024-01-01', timestamp '2027-12-31', interval 1 day)
),

final as (
    select * from days
)

select * from final

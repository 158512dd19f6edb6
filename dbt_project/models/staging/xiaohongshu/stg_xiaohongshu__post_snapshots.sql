-- One row per brand note and day: the note's lifetime figures as of the end of that Beijing day, in the common
-- post-snapshot shape (macro content_post_snapshot_columns), then Xiaohongshu's own.
--   聚光's report gives what each note gained per day (a day without activity has no row), so the lifetime figures
--   are the window sum of the note's daily rows from its publish day: views = click (阅读, reads), likes = like,
--   comments = comment, shares = share, saves = collect (收藏); impressions and fee (boost spend, yuan) likewise.
--   A note is followed from its publish day on every day the report holds, through the later of its last day
--   with activity and the last note list that still listed it: a note the list stopped showing while young
--   (deleted) drops out of later days, which content_posts reads as deleted.
--   What the note is comes from the note list (its latest listing): account_id = the author's user id (the brand's
--   Xiaohongshu account, not the advertiser), published_at = create_time (unix ms), post_format = image (图文,
--   note_content_type 1) or video (2), topic_tags = the body's '#tag[话题]#' topics.
--   Only notes published on or after the first day the report holds are here: an older note's earlier days were
--   never loaded, and its sum would understate its lifetime figures.

with

report as (
    select * from {{ source('xiaohongshu', 'note_report_daily') }}
),

listings as (
    select * from {{ source('xiaohongshu', 'note_list') }}
),

-- Each note as the list last showed it, and the last snapshot day that listed it.
listed as (
    select
        listings.account,
        listings.note_id,
        listings.author_id,
        listings.title,
        listings.note_desc,
        listings.note_content_type,
        listings.create_time,
        max(listings.snapshot_date) over (partition by listings.account, listings.note_id) as last_listed_date,
        row_number() over (
            partition by listings.account, listings.note_id order by listings.snapshot_date desc
        ) as newest_first
    from listings
),

notes as (
    select
        listed.*,
        to_timestamp(listed.create_time / 1000.0) as published_at
    from listed
    where listed.newest_first = 1
),

-- The days the report holds per advertiser, each with the load that brought it (a load replaces its days whole).
report_days as (
    select
        report.account,
        report.stat_date,
        max(report._run_id) as _run_id,
        max(report._window_start) as _window_start,
        max(report._window_end) as _window_end,
        max(report._extracted_at) as _extracted_at,
        max(report._loaded_at) as _loaded_at
    from report
    group by report.account, report.stat_date
),

report_spans as (
    select
        report_days.account,
        min(report_days.stat_date) as first_day,
        max(report_days.stat_date) as last_day
    from report_days
    group by report_days.account
),

note_activity as (
    select
        report.account,
        report.note_id,
        max(report.stat_date) as last_active_date
    from report
    group by report.account, report.note_id
),

published as (
    select
        notes.*,
        cast(timezone('Asia/Shanghai', notes.published_at) as date) as published_date
    from notes
),

followed as (
    select
        published.*,
        least(
            report_spans.last_day,
            greatest(coalesce(note_activity.last_active_date, published.published_date), published.last_listed_date)
        ) as followed_until
    from published
    inner join report_spans
        on report_spans.account = published.account
    left join note_activity
        on note_activity.account = published.account
        and note_activity.note_id = published.note_id
    where published.published_date >= report_spans.first_day
),

note_days as (
    select
        followed.account,
        followed.note_id,
        followed.author_id,
        followed.title,
        followed.note_desc,
        followed.note_content_type,
        followed.published_at,
        report_days.stat_date as snapshot_date,
        report_days._run_id,
        report_days._window_start,
        report_days._window_end,
        report_days._extracted_at,
        report_days._loaded_at
    from followed
    inner join report_days
        on report_days.account = followed.account
        and report_days.stat_date between followed.published_date and followed.followed_until
),

daily as (
    select
        note_days.*,
        coalesce(report.clicks, 0) as day_views,
        coalesce(report.likes, 0) as day_likes,
        coalesce(report.comments, 0) as day_comments,
        coalesce(report.shares, 0) as day_shares,
        coalesce(report.collects, 0) as day_saves,
        coalesce(report.impressions, 0) as day_impressions,
        coalesce(report.fee, 0) as day_fee
    from note_days
    left join report
        on report.account = note_days.account
        and report.note_id = note_days.note_id
        and report.stat_date = note_days.snapshot_date
),

cumulated as (
    select
        daily.*,
        sum(daily.day_views) over lifetime as views,
        sum(daily.day_likes) over lifetime as likes,
        sum(daily.day_comments) over lifetime as comments,
        sum(daily.day_shares) over lifetime as shares,
        sum(daily.day_saves) over lifetime as saves,
        sum(daily.day_impressions) over lifetime as impressions,
        sum(daily.day_fee) over lifetime as fee
    from daily
    window lifetime as (
        partition by daily.account, daily.note_id order by daily.snapshot_date
        rows between unbounded preceding and current row
    )
),

renamed as (
    select
        'xiaohongshu' as platform,
        cumulated.author_id as account_id,
        cumulated.note_id as post_id,
        cumulated.snapshot_date,
        cumulated.published_at,
        'Asia/Shanghai' as account_timezone,
        case cumulated.note_content_type when 1 then 'image' when 2 then 'video' end as post_format,
        nullif(trim(cumulated.title), '') as title,
        nullif(
            array_to_string(regexp_extract_all(cumulated.note_desc, '#([^#\[\]]+)\[话题\]#', 1), ','), ''
        ) as topic_tags,
        cast(cumulated.views as bigint) as views,
        cast(cumulated.likes as bigint) as likes,
        cast(cumulated.comments as bigint) as comments,
        cast(cumulated.shares as bigint) as shares,
        cast(cumulated.saves as bigint) as saves,
        cumulated._window_start,
        cumulated._window_end,
        cumulated._loaded_at,
        cast(cumulated.impressions as bigint) as impressions,
        cast(cumulated.fee as decimal(18, 2)) as fee,
        cast(cumulated.day_fee as decimal(18, 2)) as fee_on_day,
        'CNY' as currency,
        cumulated.account as advertiser_id,
        cumulated._run_id,
        cumulated._extracted_at
    from cumulated
),

final as (
    select
        {{ content_post_snapshot_columns() }},
        impressions,
        fee,
        fee_on_day,
        currency,
        advertiser_id,
        _run_id,
        _extracted_at
    from renamed
)

select * from final

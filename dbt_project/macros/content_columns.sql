{#- The columns every organic platform's staging brings to the content models, in one order so `union all` lines
    them up (the content kind's counterpart of ad_platform_columns).

    content_post_snapshot_columns: one row per post and snapshot day, the post's lifetime counters as of the end
    of that day (or when the day's snapshot was taken, for APIs that only tell "lifetime so far").
      platform, account_id           the account the extraction asked for
      post_id                        the platform's id of the post (unique per platform)
      snapshot_date (date)           the day the lifetime figures describe
      published_at (timestamptz)     when the post went out
      account_timezone (varchar)     the zone the account's days end in (local hours and weekdays use it)
      post_format (varchar)          article | video | image | carousel | reel | note
      title, topic_tags (varchar)    topic_tags: the post's tags joined by ',' without '#', null when none
      views, likes, comments, shares, saves (bigint)
                                     lifetime counters; null where the platform does not report the counter
                                     (never 0 for "unknown"); views = reads / plays / views as each calls it
    social_account_daily_columns: one row per account and local day.
      platform, account_id, date_day (date)
      followers (bigint)             at the end of the day
      follows, unfollows (bigint)    during the day; null where the platform does not report them
    creator_collaboration_snapshot_columns: one row per creator collaboration (a KOL/KOC note the brand paid
    for) and snapshot day, the note's lifetime counters as of that day.
      platform, collaboration_id     the platform's id of the collaboration (order), unique per platform
      creator_id, creator_name, creator_tier (varchar)
                                     creator_tier: KOL | KOC as the platform grades the creator
      fee (decimal(18, 2)), currency what the brand pays for the collaboration, in the platform's currency
      post_id, title                 the creator's note
      published_at (timestamptz), account_timezone, snapshot_date (date)
      views, impressions, likes, comments, shares, saves (bigint)
                                     lifetime counters; null where not reported (never 0 for "unknown")
    All end with the raw load the row came from (_window_start, _window_end, _loaded_at). -#}
{% macro content_post_snapshot_columns() -%}
    platform,
    account_id,
    post_id,
    snapshot_date,
    published_at,
    account_timezone,
    post_format,
    title,
    topic_tags,
    views,
    likes,
    comments,
    shares,
    saves,
    _window_start,
    _window_end,
    _loaded_at
{%- endmacro %}

{% macro social_account_daily_columns() -%}
    platform,
    account_id,
    date_day,
    followers,
    follows,
    unfollows,
    _window_start,
    _window_end,
    _loaded_at
{%- endmacro %}

{% macro creator_collaboration_snapshot_columns() -%}
    platform,
    collaboration_id,
    creator_id,
    creator_name,
    creator_tier,
    fee,
    currency,
    post_id,
    title,
    published_at,
    account_timezone,
    snapshot_date,
    views,
    impressions,
    likes,
    comments,
    shares,
    saves,
    _window_start,
    _window_end,
    _loaded_at
{%- endmacro %}

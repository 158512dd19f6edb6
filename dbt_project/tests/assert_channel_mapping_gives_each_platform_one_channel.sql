-- An ad platform's spend must land in one channel: a platform listed under two channels would make its
-- spend count twice (or flip between them). Returns each platform with more than one channel.

with

channel_mapping as (
    select * from {{ ref('channel_mapping') }}
),

channels_per_platform as (
    select
        platform,
        count(distinct channel) as channels,
        min(channel) as first_channel,
        max(channel) as last_channel
    from channel_mapping
    where platform is not null
    group by platform
)

select * from channels_per_platform where channels > 1

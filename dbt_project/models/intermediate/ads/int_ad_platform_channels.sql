-- The channel and channel group each ad platform's spend is reported under, from the marketers' channel
-- mapping (seeds/channel_mapping.csv). A platform is under exactly one channel (a singular test checks it);
-- a platform the mapping does not list keeps its spend under channel 'unmapped: <platform>', so it is seen
-- in every channel total rather than dropped (and the channel_is_mapped test on the marts warns).

with

channel_mapping as (
    select * from {{ ref('channel_mapping') }}
),

final as (
    select distinct
        platform,
        channel,
        channel_group
    from channel_mapping
    where platform is not null
)

select * from final

{#
    The decoded value of one query-string parameter of a URL or path ('/p?utm_source=fb&x=1' -> 'fb'),
    null when absent or empty. '+' is a space in query strings, so it is replaced before percent-decoding.
#}
{% macro url_query_parameter(url, parameter) -%}
    nullif(url_decode(replace(regexp_extract({{ url }}, '[?&]{{ parameter }}=([^&#]*)', 1), '+', ' ')), '')
{%- endmacro %}

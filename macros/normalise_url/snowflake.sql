{{!-- A page URL as written, when it is one: http:// or https:// (any case) and a host; else left out.
     regexp_like matches the whole value: 'i' any case, 's' lets . cross a line break.
     https://docs.snowflake.com/en/sql-reference/functions/regexp_like --}}
iff(regexp_like({{value}}, 'https?://[^[:space:]/?#]+.*', 'is'), {{value}}, null)

{{!-- SHA-256 of the UTF-8 bytes as 64 lower-case hex. https://docs.snowflake.com/en/sql-reference/functions/sha2 --}}
sha2({{value}}, 256)

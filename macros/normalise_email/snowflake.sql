{{!-- trim, lower-case; kept only when it looks like x@y.z. Backslashes are doubled in Snowflake strings. --}}
regexp_substr(lower({{value}}), '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:].]+$')

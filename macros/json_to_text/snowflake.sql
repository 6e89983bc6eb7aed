{{!-- The JSON text sent as it is: the runner joins these without parsing them. Snowflake writes an
     object's keys in sorted order and numbers without trailing zeros; the values are those of Postgres. --}}
to_json({{value}})

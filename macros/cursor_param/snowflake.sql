{{!-- As default.sql. Snowflake converts text compared with a timestamp or a date through the session's
     TIMESTAMP_INPUT_FORMAT / DATE_INPUT_FORMAT, which an account may have changed: the value is converted
     with the format AUTO instead, which reads the ISO 8601 of cursor_text whatever the session says, into
     the cursor's own type (TO_TIMESTAMP_NTZ for a TIMESTAMP_NTZ column, ...). Numbers and text are
     compared as they are; a constant either way, so micro-partitions are pruned.
     https://docs.snowflake.com/en/sql-reference/functions/to_timestamp
     https://docs.snowflake.com/en/user-guide/date-time-input-output#supported-formats-for-auto-detection --}}
{{#if time}}to_{{type}}({{param name}}, 'AUTO'){{else}}{{param name}}{{/if}}

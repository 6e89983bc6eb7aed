{{!-- The time `seconds` (a whole number) before now, when the statement runs.
     https://docs.snowflake.com/en/sql-reference/functions/dateadd --}}
dateadd(second, -{{seconds}}, current_timestamp())

{{!-- The time `days` days before now, when the statement runs.
     https://docs.snowflake.com/en/sql-reference/functions/dateadd --}}
dateadd(day, -{{days}}, current_timestamp())

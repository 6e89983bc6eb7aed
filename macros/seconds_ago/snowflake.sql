{{!-- The time a number of seconds (the one parameter) before now.
     https://docs.snowflake.com/en/sql-reference/functions/dateadd --}}
dateadd(second, -1 * ?, current_timestamp())

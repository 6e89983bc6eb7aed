{{!-- As default.sql, to the millisecond.
     https://docs.snowflake.com/en/sql-reference/functions/timestampdiff --}}
timestampdiff(millisecond, {{start}}, {{end}}) / 1000

{{!-- The cursor as text that reads back as the same value, whatever the column's type and the session's
     output formats: a cast to varchar writes a timestamp in TIMESTAMP_*_OUTPUT_FORMAT (by default to the
     millisecond), so the saved watermark fell below the last row sent and that row was sent again on
     every run. Timestamps are written in ISO 8601 to the nanosecond (with their offset, except
     TIMESTAMP_NTZ, which has none), dates as 2024-05-01; numbers and strings by the cast, exactly. SQL
     cannot branch on a column's declared type, so the value is tested inside a VARIANT, which keeps it:
     IS_TIMESTAMP_* and IS_DATE check the type held (a string that looks like a date is still a string).
     https://docs.snowflake.com/en/sql-reference/functions/is_timestamp
     https://docs.snowflake.com/en/sql-reference/functions-conversion#date-and-time-formats-in-conversion-functions --}}
case
  when is_timestamp_tz(to_variant({{value}})) then to_varchar(as_timestamp_tz(to_variant({{value}})), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ltz(to_variant({{value}})) then to_varchar(as_timestamp_ltz(to_variant({{value}})), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ntz(to_variant({{value}})) then to_varchar(as_timestamp_ntz(to_variant({{value}})), 'YYYY-MM-DD"T"HH24:MI:SS.FF9')
  when is_date(to_variant({{value}})) then to_varchar(as_date(to_variant({{value}})), 'YYYY-MM-DD')
  else cast({{value}} as varchar)
end

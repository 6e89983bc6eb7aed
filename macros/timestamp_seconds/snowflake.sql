{{!-- Whole Unix seconds of a TIMESTAMP_TZ column of capi-sync's own tables (the zone is taken into account).
     https://docs.snowflake.com/en/sql-reference/functions-date-time#label-supported-date-time-parts --}}
date_part(epoch_second, {{value}})

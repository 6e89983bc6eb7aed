{{!-- As default.sql, to the millisecond.
     https://cloud.google.com/bigquery/docs/reference/standard-sql/timestamp_functions#timestamp_diff --}}
timestamp_diff({{end}}, {{start}}, millisecond) / 1000

{{!-- Whole Unix seconds of a TIMESTAMP column of capi-sync's own tables, rounded down.
     https://cloud.google.com/bigquery/docs/reference/standard-sql/timestamp_functions#unix_seconds --}}
unix_seconds({{value}})

{{!-- The time `days` days before now, when the statement runs.
     https://cloud.google.com/bigquery/docs/reference/standard-sql/timestamp_functions#timestamp_sub --}}
timestamp_sub(current_timestamp(), interval {{days}} day)

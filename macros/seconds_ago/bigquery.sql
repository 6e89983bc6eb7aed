{{!-- The time `seconds` (a whole number) before now: a constant expression, so a filter on the
     partitioning column with it still prunes partitions.
     https://cloud.google.com/bigquery/docs/reference/standard-sql/timestamp_functions#timestamp_sub --}}
timestamp_sub(current_timestamp(), interval {{seconds}} second)

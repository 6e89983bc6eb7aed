{{!-- The cursor as text that casts back to the same value, whatever the column's type: TIMESTAMP as
     2024-05-01T12:00:00.123456Z (UTC, to the microsecond, BigQuery's precision), DATETIME as
     2024-05-01T12:00:00.123456, DATE as 2024-05-01, strings as they are, and INT64, NUMERIC and
     BIGNUMERIC exactly: stringify_wide_numbers writes a number a FLOAT64 cannot hold as a JSON string
     instead of rounding it. https://cloud.google.com/bigquery/docs/reference/standard-sql/json_functions#to_json --}}
json_value(to_json({{value}}, stringify_wide_numbers => true))

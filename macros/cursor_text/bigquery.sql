{{!-- The cursor as the watermark keeps it: a scalar as its JSON value (TIMESTAMP as
     2024-05-01T12:00:00.123456Z, every fraction digit; numbers and strings exactly).
     https://cloud.google.com/bigquery/docs/reference/standard-sql/json_functions#json_encodings --}}
{{macro "to_text" value}}

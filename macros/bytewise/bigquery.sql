{{!-- As default.sql: BigQuery compares STRING values by their code points, which is the UTF-8 byte order.
     https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#comparable_data_types --}}
{{value}}

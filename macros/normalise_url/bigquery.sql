{{!-- A page URL as written, when it is one: http:// or https:// (any case) and a host; else left out.
     https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#regexp_contains --}}
if(regexp_contains({{value}}, r'(?i)^https?://[^\s\p{Z}/?#]+'), {{value}}, null)

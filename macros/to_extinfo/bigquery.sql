{{!-- As default.sql: 16 strings, the first a2 or i2, empty entries kept in place; else left out.
     https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#split --}}
(
  select if(count(*) = 16 and logical_or(position = 0 and trim(part) in ('a2', 'i2')), to_json(array_agg(trim(part) order by position)), null)
  from unnest(split(trim(regexp_replace({{value}}, r'^[\[{]|[\]}]$|"', '')), ',')) as part with offset as position
)

{{!-- pairs: [{key, value}]; json_object keeps null values, json_strip_nulls then removes them
     (recursively; an empty object stays, as on Postgres).
     https://cloud.google.com/bigquery/docs/reference/standard-sql/json_functions#json_strip_nulls --}}
json_strip_nulls(json_object({{#each pairs}}{{literal key}}, {{value}}{{#unless @last}}, {{/unless}}{{/each}}))

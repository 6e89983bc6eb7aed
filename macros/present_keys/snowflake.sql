{{!-- The keys of `pairs` whose value is not null, comma-separated (em,ph,fn). CONCAT_WS is null when any
     argument is: ARRAY_CONSTRUCT_COMPACT drops the nulls first.
     https://docs.snowflake.com/en/sql-reference/functions/array_construct_compact --}}
array_to_string(array_construct_compact({{#each pairs}}{{#unless @first}}, {{/unless}}iff({{value}} is not null, '{{key}}', null){{/each}}), ',')

{{!-- As default.sql: 16 strings, the first a2 or i2, empty entries kept in place; else left out.
     https://docs.snowflake.com/en/sql-reference/functions/split --}}
{{#*inline "parts"}}split(regexp_replace(trim(regexp_replace({{value}}, '^[[{]|[]}]$|"', ''), ' '), '[[:space:]]*,[[:space:]]*', ','), ','){{/inline}}
iff(array_size({{> parts}}) = 16 and get({{> parts}}, 0)::varchar in ('a2', 'i2'), {{> parts}}, null)

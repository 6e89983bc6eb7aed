{{!-- A list of ids, as strings, from "a, b", a JSON array '["a", "b"]' or an array's text "{a,b}": one
     leading [ or { and one trailing ] or } dropped, then every double quote; each id trimmed, empty ones
     dropped; none → null. --}}
{{#*inline "unwrapped"}}trim(regexp_replace({{value}}, '^[[{]|[]}]$|"', ''), ' '){{/inline}}
try_parse_json(nullif(to_json(array_remove(split(regexp_replace({{> unwrapped}}, '[[:space:]]*,[[:space:]]*', ','), ','), ''::variant)), '[]'))

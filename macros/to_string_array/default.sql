{{!-- A list of ids from "a,b", "[\"a\",\"b\"]" or a Postgres array's text "{a,b}". --}}
nullif(array_to_json(array_remove(regexp_split_to_array(regexp_replace({{value}}, '^[\[{]|[\]}]$|"', '', 'g'), '\s*,\s*'), ''))::text, '[]')::json

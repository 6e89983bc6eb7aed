{{!-- A list of ids, as strings, from "a, b", a JSON array '["a", "b"]' (what as_text makes of an array
     column) or a Postgres array's text "{a,b}"; each id trimmed, empty ones dropped; none → null. --}}
nullif(array_to_json(array_remove(regexp_split_to_array(btrim(regexp_replace({{value}}, '^[\[{]|[\]}]$|"', '', 'g')), '\s*,\s*'), ''))::text, '[]')::json

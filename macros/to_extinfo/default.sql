{{!-- Snap's app_data.extinfo: 16 strings whose first is a2 (Android) or i2 (iOS), from "a2, com.app, ..."
     or a JSON or Postgres array. Unlike to_string_array, empty entries keep their place (each position
     has a meaning); any other count or version is left out, and the event held back (missing_app_data). --}}
{{#*inline "parts"}}regexp_split_to_array(btrim(regexp_replace({{value}}, '^[\[{]|[\]}]$|"', '', 'g')), '\s*,\s*'){{/inline}}
case when array_length({{> parts}}, 1) = 16 and ({{> parts}})[1] in ('a2', 'i2') then array_to_json({{> parts}}) end

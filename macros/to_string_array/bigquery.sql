{{!-- A list of ids, as strings, from "a, b", a JSON array '["a", "b"]' or an array's text "{a,b}": one
     leading [ or { and one trailing ] or } dropped, then every double quote; each id trimmed, empty ones
     dropped; none → null. --}}
(
  select if(count(*) = 0, null, to_json(array_agg(id order by position)))
  from unnest(split(regexp_replace(trim(regexp_replace({{value}}, r'^[\[{]|[\]}]$|"', ''), ' '), r'\s*,\s*', ','), ',')) as id with offset as position
  where id != ''
)

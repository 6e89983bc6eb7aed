{{!-- A whole number ≥ 0 that fits in 32 bits, from text; else null. Only the digits before an optional
     .000 are cast, as in bigquery.sql: a cast of the whole text would fail the view on more zeros than
     numeric holds (16383). --}}
case when {{value}} ~ '^\+?[0-9]{1,9}(\.0*)?$' then cast(split_part(ltrim({{value}}, '+'), '.', 1) as integer) end

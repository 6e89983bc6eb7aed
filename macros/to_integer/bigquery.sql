{{!-- A whole number ≥ 0 that fits in 32 bits, from text; else null. The digits before an optional .000
     are taken as they are: no cast can round or fail. --}}
case when regexp_contains({{value}}, r'^\+?[0-9]{1,9}(\.0*)?$') then cast(regexp_extract({{value}}, r'[0-9]+') as int64) end

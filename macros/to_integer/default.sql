{{!-- A whole number ≥ 0 that fits in 32 bits, from text; else null. --}}
case when {{value}} ~ '^\+?[0-9]{1,9}(\.0*)?$' then cast(cast({{value}} as numeric) as integer) end

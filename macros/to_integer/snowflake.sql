{{!-- A whole number ≥ 0 that fits in 32 bits, from text; else null. The digits before an optional .000
     are taken as they are: no cast can round or fail. --}}
case when regexp_like({{value}}, '[+]?[0-9]{1,9}([.]0*)?') then cast(regexp_substr({{value}}, '[0-9]+') as integer) end

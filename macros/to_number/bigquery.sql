{{!-- A decimal number ≥ 0 from text; else null. A FLOAT64, as Snap reads value; 1e15 and more is refused
     (no purchase is that large: a unit or parsing mistake), and so is text over 100 characters, as on
     Postgres. --}}
{{#*inline "number"}}safe_cast(ltrim({{value}}, '+') as float64){{/inline}}
case
  when length({{value}}) > 100 then null
  when regexp_contains({{value}}, r'^\+?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,2})?$') then
    case when {{> number}} < 1e15 then {{> number}} end
end

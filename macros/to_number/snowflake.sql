{{!-- A decimal number ≥ 0 from text; else null. A double, as Snap reads value; 1e15 and more is refused
     (no purchase is that large: a unit or parsing mistake), and so is text over 100 characters, as on
     Postgres. Nested CASE: the length and the pattern are checked first. --}}
{{#*inline "number"}}try_to_double(ltrim({{value}}, '+')){{/inline}}
case
  when length({{value}}) > 100 then null
  when regexp_like({{value}}, '[+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,2})?') then
    case when {{> number}} < 1e15 then {{> number}} end
end

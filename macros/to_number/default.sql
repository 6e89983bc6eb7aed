{{!-- A decimal number ≥ 0 from text (a string column cast by the model, or a numeric one); else null.
     Values of 1e15 and more are refused: Snap reads value as a double, which cannot hold them exactly,
     and no purchase is that large, so it is a unit or parsing mistake (a microsecond time, an id).
     Nested CASE, not AND: only CASE promises the pattern is checked before the cast. --}}
case when {{value}} ~ '^\+?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,2})?$' then
  case when cast({{value}} as numeric) < 1e15 then cast({{value}} as numeric) end
end

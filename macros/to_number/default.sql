{{!-- A decimal number ≥ 0 from text (a string column cast by the model, or a numeric one); else null.
     Values of 1e15 and more are refused: Snap reads value as a double, which cannot hold them exactly,
     and no purchase is that large, so it is a unit or parsing mistake (a microsecond time, an id).
     Text over 100 characters is refused before the cast: numeric holds 131072 digits before the point
     and 16383 after, and one longer value would make the cast fail the whole view.
     Nested CASE, not AND: only CASE promises the length and the pattern are checked before the cast. --}}
case
  when length({{value}}) > 100 then null
  when {{value}} ~ '^\+?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,2})?$' then
    case when cast({{value}} as numeric) < 1e15 then cast({{value}} as numeric) end
end

{{!-- A decimal number ≥ 0 from text (a string column cast by the model, or a numeric one); else null. --}}
case when {{value}} ~ '^\+?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$' then cast({{value}} as numeric) end

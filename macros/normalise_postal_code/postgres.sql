{{!-- As default.sql. A plain ASCII code of digits, spaces and dashes only that is 5 or 9 digits once the
     spaces and dashes are gone (a US ZIP or ZIP+4) is read with translate; anything else in one
     regexp_replace: the US and UK patterns are the same, and what either keeps is its capture group (a
     group that took no part answers ''); anything else stays whole. Spaces are space_chars, as in
     default.sql, which computes the compact form up to four times and runs up to four patterns. --}}
{{#*inline "ascii"}}translate({{value}}, E' \t\n\r\f\x0b-', ''){{/inline}}
case
  when octet_length({{value}}) = length({{value}}) and {{value}} !~ '[^0-9[:space:]-]' and length({{> ascii}}) in (5, 9)
    then left({{> ascii}}, 5)
  else nullif(regexp_replace(lower(replace(translate({{value}}, {{macro "space_chars"}}, ''), '-', '')), '^([0-9]{5})(?:[0-9]{4})?$|^([a-z]{1,2}[0-9][a-z0-9]?[0-9])[a-z]{2}$', '\1\2'), '')
end

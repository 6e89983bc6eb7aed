{{!-- lower-case without spaces (space_chars) or dashes; US ZIP (+4) → first 5 digits; UK → outward code +
     sector digit (SW1A 1AA → sw1a1). regexp_like matches the whole value. --}}
{{#*inline "compact"}}lower(replace(translate({{value}}, {{macro "space_chars"}}, ''), '-', '')){{/inline}}
case
  when regexp_like({{> compact}}, '[0-9]{5}([0-9]{4})?') then substr({{> compact}}, 1, 5)
  when regexp_like({{> compact}}, '[a-z]{1,2}[0-9][a-z0-9]?[0-9][a-z]{2}') then substr({{> compact}}, 1, length({{> compact}}) - 2)
  else nullif({{> compact}}, '')
end

{{!-- E.164 digits without '+', as on Postgres. An extension (x12, ext. 12, #12) is cut off and a literal
     (0) dropped; then digits only. A number whose first sign is + or 00 is international; anything else
     is national: leading zeros stripped and country_code prepended when set (North America: 1-415-...
     is already complete). 4.4E+11 (Excel) has lost digits: left out. 8-15 digits or left out.
     regexp_like matches the whole value ('s': across line breaks). --}}
{{#*inline "digits"}}regexp_replace(replace(regexp_replace({{value}}, '([0-9])[[:space:]]*(extension|ext[.]?|x|#)[[:space:]]*[0-9]+[[:space:]]*$', '\\1', 1, 1, 'i'), '(0)', ''), '[^0-9]', ''){{/inline}}
{{#*inline "national"}}ltrim({{> digits}}, '0'){{/inline}}
regexp_substr(
  case
    when regexp_like({{value}}, '[0-9.]+[eE][+]?[0-9]+') then null
    when regexp_like({{value}}, '[^0-9]*[+].*', 's') then {{> digits}}
    when regexp_like({{value}}, '[^0-9+]*00.*', 's') then substr({{> digits}}, 3)
{{#if country_code}}
    when {{literal country_code}} = '1' and regexp_like({{> national}}, '1[0-9]{10}') then {{> national}}
    else {{literal country_code}} || {{> national}}
{{else}}
    else {{> national}}
{{/if}}
  end,
  '^[1-9][0-9]{7,14}$')

{{!-- E.164 digits without '+', as on Postgres. An extension (x12, ext. 12, #12) is cut off and a literal
     (0) dropped; then digits only. A number whose first sign is + or 00 is international; anything else
     is national: leading zeros stripped and country_code prepended when set (North America: 1-415-...
     is already complete). 4.4E+11 (Excel) has lost digits: left out. 8-15 digits or left out. --}}
{{#*inline "digits"}}regexp_replace(replace(regexp_replace({{value}}, r'(?i)([0-9])\s*(?:extension|ext\.?|x|#)\s*[0-9]+\s*$', r'\1'), '(0)', ''), r'[^0-9]', ''){{/inline}}
{{#*inline "national"}}ltrim({{> digits}}, '0'){{/inline}}
regexp_extract(
  case
    when regexp_contains({{value}}, r'^[0-9.]+[eE]\+?[0-9]+$') then null
    when regexp_contains({{value}}, r'^[^0-9]*\+') then {{> digits}}
    when regexp_contains({{value}}, r'^[^0-9+]*00') then substr({{> digits}}, 3)
{{#if country_code}}
    when {{literal country_code}} = '1' and regexp_contains({{> national}}, r'^1[0-9]{10}$') then {{> national}}
    else {{literal country_code}} || {{> national}}
{{else}}
    else {{> national}}
{{/if}}
  end,
  r'^[1-9][0-9]{7,14}$')

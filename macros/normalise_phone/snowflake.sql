{{!-- E.164 digits without '+', as default.sql: an extension and a literal (0) cut, digits only; + or 00
     first is international (zeros before the country code and a trunk 0 after it dropped, trunk_zero
     keeping Italy's +39 06 …); else national (leading zeros stripped unless keep_zero, country_code
     prepended; 1-415-... complete). 4.4E+11 (Excel) left out. 8-15 digits or left out.
     regexp_like matches the whole value ('s': across line breaks); '\\1' is group 1.
     https://docs.snowflake.com/en/sql-reference/functions/regexp_replace --}}
{{#*inline "digits"}}regexp_replace(replace(regexp_replace({{value}}, '([0-9])[[:space:]]*(extension|ext[.]?|x|#)[[:space:]]*[0-9]+[[:space:]]*$', '\\1', 1, 1, 'i'), '(0)', ''), '[^0-9]', ''){{/inline}}
{{#*inline "national"}}{{#if keep_zero}}{{> digits}}{{else}}ltrim({{> digits}}, '0'){{/if}}{{/inline}}
regexp_substr(
  case
    when regexp_like({{value}}, '[0-9.]+[eE][+]?[0-9]+') then null
    when regexp_like({{value}}, '([^0-9]*[+]|[^0-9+]*00).*', 's') then regexp_replace(ltrim({{> digits}}, '0'), {{literal trunk_zero}}, '\\1')
{{#if country_code}}
    when {{literal country_code}} = '1' and regexp_like({{> national}}, '1[0-9]{10}') then {{> national}}
    else {{literal country_code}} || {{> national}}
{{else}}
    else {{> national}}
{{/if}}
  end,
  '^[1-9][0-9]{7,14}$')

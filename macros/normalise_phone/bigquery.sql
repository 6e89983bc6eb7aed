{{!-- E.164 digits without '+', as default.sql: an extension and a literal (0) cut, digits only; + or 00
     first is international (zeros before the country code and a trunk 0 after it dropped, trunk_zero
     keeping Italy's +39 06 …); else national (leading zeros stripped unless keep_zero, country_code
     prepended; 1-415-... complete). 4.4E+11 (Excel) left out. 8-15 digits or left out.
     https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#regexp_replace --}}
{{#*inline "digits"}}regexp_replace(replace(regexp_replace({{value}}, r'(?i)([0-9])\s*(?:extension|ext\.?|x|#)\s*[0-9]+\s*$', r'\1'), '(0)', ''), r'[^0-9]', ''){{/inline}}
{{#*inline "national"}}{{#if keep_zero}}{{> digits}}{{else}}ltrim({{> digits}}, '0'){{/if}}{{/inline}}
regexp_extract(
  case
    when regexp_contains({{value}}, r'^[0-9.]+[eE]\+?[0-9]+$') then null
    when regexp_contains({{value}}, r'^[^0-9]*\+|^[^0-9+]*00') then regexp_replace(ltrim({{> digits}}, '0'), r{{literal trunk_zero}}, r'\1')
{{#if country_code}}
    when {{literal country_code}} = '1' and regexp_contains({{> national}}, r'^1[0-9]{10}$') then {{> national}}
    else {{literal country_code}} || {{> national}}
{{else}}
    else {{> national}}
{{/if}}
  end,
  r'^[1-9][0-9]{7,14}$')

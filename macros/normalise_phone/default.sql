{{!-- E.164 digits without '+': drop a literal (0), keep digits; +CC or 00CC is international, anything
     else national (leading zeros stripped, country_code prepended when set). 8-15 digits or left out. --}}
{{#*inline "digits"}}regexp_replace(replace({{value}}, '(0)', ''), '[^0-9]', '', 'g'){{/inline}}
substring(
  case
    when {{value}} ~ '^\s*\+' then {{> digits}}
    when {{value}} ~ '^\s*00' then substr({{> digits}}, 3)
    else {{#if country_code}}{{literal country_code}} || {{/if}}ltrim({{> digits}}, '0')
  end
  from '^[1-9][0-9]{7,14}$')

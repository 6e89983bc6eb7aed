{{!-- E.164 digits without '+'. An extension (x12, ext. 12, #12) is cut off and a literal (0) dropped;
     then digits only. A number whose first sign is + (also "(+44)", "tel:+44") or 00 is international;
     anything else is national: leading zeros (the trunk prefix) are stripped and country_code prepended
     when set. North America's trunk prefix is 1, the country code itself: 1-415-555-0132 is already
     complete. A number Excel turned into 4.4E+11 has lost digits: left out. 8-15 digits or left out. --}}
{{#*inline "digits"}}regexp_replace(replace(regexp_replace({{value}}, '([0-9])\s*(extension|ext\.?|x|#)\s*[0-9]+\s*$', '\1', 'i'), '(0)', ''), '[^0-9]', '', 'g'){{/inline}}
{{#*inline "national"}}ltrim({{> digits}}, '0'){{/inline}}
substring(
  case
    when {{value}} ~ '^[0-9.]+[eE]\+?[0-9]+$' then null
    when {{value}} ~ '^[^0-9]*\+' then {{> digits}}
    when {{value}} ~ '^[^0-9+]*00' then substr({{> digits}}, 3)
{{#if country_code}}
    when {{literal country_code}} = '1' and {{> national}} ~ '^1[0-9]{10}$' then {{> national}}
    else {{literal country_code}} || {{> national}}
{{else}}
    else {{> national}}
{{/if}}
  end
  from '^[1-9][0-9]{7,14}$')

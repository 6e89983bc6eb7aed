{{!-- E.164 digits without '+'. An extension (x12, ext. 12, #12) is cut off and a literal (0) dropped;
     then digits only. A number whose first sign is + (also "(+44)", "tel:+44") or 00 is international:
     the zeros before the country code go (+00 44, 0044, +001 …), and a trunk 0 written after it
     (+44 020 …) too, except where the 0 belongs to the number (trunk_zero, from phone-codes.ts: Italy
     keeps +39 06 …). Anything else is national: leading zeros (the trunk prefix) are stripped, unless
     keep_zero (the country's numbers may begin with 0), and country_code prepended when set. North
     America's trunk prefix is 1, the country code itself: 1-415-555-0132 is already complete. A number
     Excel turned into 4.4E+11 has lost digits: left out. 8-15 digits or left out. --}}
{{#*inline "digits"}}regexp_replace(replace(regexp_replace({{value}}, '([0-9])\s*(extension|ext\.?|x|#)\s*[0-9]+\s*$', '\1', 'i'), '(0)', ''), '[^0-9]', '', 'g'){{/inline}}
{{#*inline "national"}}{{#if keep_zero}}{{> digits}}{{else}}ltrim({{> digits}}, '0'){{/if}}{{/inline}}
substring(
  case
    when {{value}} ~ '^[0-9.]+[eE]\+?[0-9]+$' then null
    when {{value}} ~ '^[^0-9]*\+' or {{value}} ~ '^[^0-9+]*00' then regexp_replace(ltrim({{> digits}}, '0'), {{literal trunk_zero}}, '\1')
{{#if country_code}}
    when {{literal country_code}} = '1' and {{> national}} ~ '^1[0-9]{10}$' then {{> national}}
    else {{literal country_code}} || {{> national}}
{{else}}
    else {{> national}}
{{/if}}
  end
  from '^[1-9][0-9]{7,14}$')

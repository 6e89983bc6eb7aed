{{!-- As default.sql, with a fast path for the usual shape: digits, spaces and ( ) - + . / only (one plain
     class, the cheapest test measured). There no extension, letter or Excel exponent can be, and
     translate, ltrim and strpos stand for default.sql's patterns with groups and alternatives, which cost
     1-3 µs a call. A + before the first digit makes the number international, as does 00 at the first
     digit; else national, as in default.sql. --}}
{{#*inline "digits"}}translate(replace({{value}}, '(0)', ''), ' ()-+./', ''){{/inline}}
{{#*inline "first_digit"}}(length({{value}}) - length(ltrim({{value}}, ' ()-+./')) + 1){{/inline}}
{{#*inline "national"}}{{#if keep_zero}}{{> digits}}{{else}}ltrim({{> digits}}, '0'){{/if}}{{/inline}}
case
  when {{value}} !~ '[^0-9 ()+./-]' then substring(
    case
      when strpos({{value}}, '+') between 1 and {{> first_digit}} - 1 or substr({{value}}, {{> first_digit}}, 2) = '00'
        then regexp_replace(ltrim({{> digits}}, '0'), {{literal trunk_zero}}, '\1')
{{#if country_code}}
      when {{literal country_code}} = '1' and left({{> national}}, 1) = '1' and length({{> national}}) = 11 then {{> national}}
      else {{literal country_code}} || {{> national}}
{{else}}
      else {{> national}}
{{/if}}
    end
    from '^[1-9][0-9]{7,14}$')
  else {{macro "normalise_phone" value country_code=country_code trunk_zero=trunk_zero keep_zero=keep_zero from="default"}}
end

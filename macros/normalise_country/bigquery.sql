{{!-- ISO-3166-1 alpha-2, lower-case; anything else is left out. UK is the one code people write that
     ISO reserves for the United Kingdom without assigning it: Snap matches on gb. --}}
case lower({{value}}) when 'uk' then 'gb' else regexp_extract(lower({{value}}), r'^[a-z]{2}$') end

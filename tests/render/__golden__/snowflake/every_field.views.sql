create view "CAPI_SYNC"."EVERY_FIELD_PREPARED" as
with m as (
  select
    nullif(trim(cast(src."PAID_AT" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "EVENT_TIME",
    nullif(trim(cast(src."KIND" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "EVENT_NAME",
    nullif(trim(cast(src."ID" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "EVENT_ID",
    nullif(trim(cast(src."REF" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "ORDER_ID",
    nullif(trim(cast(src."TOTAL" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "VALUE",
    nullif(trim(cast(src."CUR" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "CURRENCY",
    nullif(trim(cast(src."ITEMS" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "CONTENT_IDS",
    nullif(trim(cast(src."N" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "NUM_ITEMS",
    nullif(trim(cast(src."MAIL" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "EMAIL",
    nullif(trim(cast(src."TEL" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "PHONE",
    nullif(trim(cast(src."FN" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "FIRST_NAME",
    nullif(trim(cast(src."LN" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "LAST_NAME",
    nullif(trim(cast(src."SEX" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "GENDER",
    nullif(trim(cast(src."TOWN" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "CITY",
    nullif(trim(cast(src."REGION" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "STATE",
    nullif(trim(cast(src."POSTCODE" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "POSTAL_CODE",
    nullif(trim(cast(src."CC" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "COUNTRY",
    nullif(trim(cast(src."UID" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "EXTERNAL_ID",
    nullif(trim(cast(src."BORN" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "DATE_OF_BIRTH",
    nullif(trim(cast(src."IP" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "CLIENT_IP_ADDRESS",
    nullif(trim(cast(src."UA" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "CLIENT_USER_AGENT",
    nullif(trim(cast(src."CLICK" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "SC_CLICK_ID",
    nullif(trim(cast(src."COOKIE" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "SC_COOKIE1",
    nullif(trim(cast(src."AD_ID" as varchar), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "MADID",
    src."LOADED_AT" as "SOURCE_CURSOR"
  from (
select * from "SHOP"."ORDERS"
  ) as src
),
n as (
  select
    case
  when regexp_like("EVENT_TIME", '[+-]?[0-9]{1,16}([.][0-9]*)?([eE][+-]?[0-9]{1,2})?') then
    case
      when abs(try_cast("EVENT_TIME" as number(38, 12))) >= 1e15 then null
      when abs(try_cast("EVENT_TIME" as number(38, 12))) >= 1e12 then cast(floor(try_cast("EVENT_TIME" as number(38, 12)) / 1000) as integer)
      else cast(floor(try_cast("EVENT_TIME" as number(38, 12))) as integer)
    end
  when regexp_like("EVENT_TIME", '([0-9]{4}|[1-9][0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,9})?)?( ?(Z|UTC|GMT|[+-](0[0-9]|1[0-5])(:?[0-5][0-9]){0,2}))?| ?(Z|UTC|GMT))?')
    and not startswith("EVENT_TIME", '0000') then
    case
      when try_cast(regexp_substr("EVENT_TIME", '^[0-9]+-[0-9]{2}-([0-9]{2})', 1, 1, 'e', 1) as integer) > day(last_day(date_from_parts(2000 + mod(try_cast(regexp_substr("EVENT_TIME", '^([0-9]+)-', 1, 1, 'e', 1) as integer), 400), try_cast(regexp_substr("EVENT_TIME", '^[0-9]+-([0-9]{2})', 1, 1, 'e', 1) as integer), 1))) then null
      else (datediff(day, date_from_parts(1970, 1, 1), date_from_parts(2000 + mod(try_cast(regexp_substr("EVENT_TIME", '^([0-9]+)-', 1, 1, 'e', 1) as integer), 400), try_cast(regexp_substr("EVENT_TIME", '^[0-9]+-([0-9]{2})', 1, 1, 'e', 1) as integer), try_cast(regexp_substr("EVENT_TIME", '^[0-9]+-[0-9]{2}-([0-9]{2})', 1, 1, 'e', 1) as integer))) + (floor(try_cast(regexp_substr("EVENT_TIME", '^([0-9]+)-', 1, 1, 'e', 1) as integer) / 400) - 5) * 146097) * 86400
        + coalesce(try_cast(regexp_substr("EVENT_TIME", '^[0-9]+-[0-9]{2}-[0-9]{2}[ T]([0-9]{2}):', 1, 1, 'e', 1) as integer), 0) * 3600
        + coalesce(try_cast(regexp_substr("EVENT_TIME", '^[0-9]+-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:([0-9]{2})', 1, 1, 'e', 1) as integer), 0) * 60
        + coalesce(try_cast(regexp_substr("EVENT_TIME", '^[0-9]+-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:([0-9]{2})', 1, 1, 'e', 1) as integer), 0)
        - case when startswith(replace(regexp_substr(regexp_substr("EVENT_TIME", '^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$', 1, 1, 'es', 1), '(Z|UTC|GMT|[+-][0-9:]+)$'), ':', ''), '+') or startswith(replace(regexp_substr(regexp_substr("EVENT_TIME", '^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$', 1, 1, 'es', 1), '(Z|UTC|GMT|[+-][0-9:]+)$'), ':', ''), '-') then
            iff(startswith(replace(regexp_substr(regexp_substr("EVENT_TIME", '^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$', 1, 1, 'es', 1), '(Z|UTC|GMT|[+-][0-9:]+)$'), ':', ''), '-'), -1, 1) * (coalesce(try_cast(substr(replace(regexp_substr(regexp_substr("EVENT_TIME", '^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$', 1, 1, 'es', 1), '(Z|UTC|GMT|[+-][0-9:]+)$'), ':', ''), 2, 2) as integer), 0) * 3600 + coalesce(try_cast(substr(replace(regexp_substr(regexp_substr("EVENT_TIME", '^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$', 1, 1, 'es', 1), '(Z|UTC|GMT|[+-][0-9:]+)$'), ':', ''), 4, 2) as integer), 0) * 60 + coalesce(try_cast(substr(replace(regexp_substr(regexp_substr("EVENT_TIME", '^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$', 1, 1, 'es', 1), '(Z|UTC|GMT|[+-][0-9:]+)$'), ':', ''), 6, 2) as integer), 0))
          else 0 end
    end
end as "EVENT_TIME",
    case upper(regexp_replace("EVENT_NAME", '([[:space:]]|-)+', '_'))
  when 'PURCHASE' then 'PURCHASE'
  when 'ADD_CART' then 'ADD_CART'
  when 'SIGN_UP' then 'SIGN_UP'
  when 'PAGE_VIEW' then 'PAGE_VIEW'
  when 'VIEW_CONTENT' then 'VIEW_CONTENT'
  when 'ADD_TO_WISHLIST' then 'ADD_TO_WISHLIST'
  when 'SEARCH' then 'SEARCH'
  when 'ADD_BILLING' then 'ADD_BILLING'
  when 'START_CHECKOUT' then 'START_CHECKOUT'
  when 'SAVE' then 'SAVE'
  when 'SUBSCRIBE' then 'SUBSCRIBE'
  when 'LOGIN' then 'LOGIN'
  when 'LIST_VIEW' then 'LIST_VIEW'
  when 'ACHIEVEMENT_UNLOCKED' then 'ACHIEVEMENT_UNLOCKED'
  when 'START_TRIAL' then 'START_TRIAL'
  when 'RATE' then 'RATE'
  when 'INVITE' then 'INVITE'
  when 'COMPLETE_TUTORIAL' then 'COMPLETE_TUTORIAL'
  when 'AD_CLICK' then 'AD_CLICK'
  when 'AD_VIEW' then 'AD_VIEW'
  when 'SHARE' then 'SHARE'
  when 'RESERVE' then 'RESERVE'
  when 'LEVEL_COMPLETE' then 'LEVEL_COMPLETE'
  when 'SPENT_CREDITS' then 'SPENT_CREDITS'
  when 'APP_INSTALL' then 'APP_INSTALL'
  when 'APP_OPEN' then 'APP_OPEN'
  when 'CUSTOM_EVENT_1' then 'CUSTOM_EVENT_1'
  when 'CUSTOM_EVENT_2' then 'CUSTOM_EVENT_2'
  when 'CUSTOM_EVENT_3' then 'CUSTOM_EVENT_3'
  when 'CUSTOM_EVENT_4' then 'CUSTOM_EVENT_4'
  when 'CUSTOM_EVENT_5' then 'CUSTOM_EVENT_5'
end as "EVENT_NAME",
    "EVENT_ID" as "SOURCE_EVENT_ID",
    case when regexp_like("VALUE", '[+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,2})?') then
  case when try_to_double(ltrim("VALUE", '+')) < 1e15 then try_to_double(ltrim("VALUE", '+')) end
end as "VALUE",
    "CURRENCY" as "CURRENCY_TEXT",
    regexp_substr(upper("CURRENCY"), '^[A-Z]{3}$') as "CURRENCY",
    "ORDER_ID" as "ORDER_ID",
    try_parse_json(nullif(to_json(array_remove(split(regexp_replace(trim(regexp_replace("CONTENT_IDS", '^[[{]|[]}]$|"', ''), ' '), '[[:space:]]*,[[:space:]]*', ','), ','), ''::variant)), '[]')) as "CONTENT_IDS",
    case when regexp_like("NUM_ITEMS", '[+]?[0-9]{1,9}([.]0*)?') then cast(regexp_substr("NUM_ITEMS", '[0-9]+') as integer) end as "NUM_ITEMS",
    case
  when regexp_like("EMAIL", '[0-9A-Fa-f]{64}') then lower("EMAIL")
  else sha2(regexp_substr(lower("EMAIL"), '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:].]+$'), 256)
end as "EM",
    case
  when regexp_like("PHONE", '[0-9A-Fa-f]{64}') then lower("PHONE")
  else sha2(regexp_substr(
  case
    when regexp_like("PHONE", '[0-9.]+[eE][+]?[0-9]+') then null
    when regexp_like("PHONE", '[^0-9]*[+].*', 's') then regexp_replace(replace(regexp_replace("PHONE", '([0-9])[[:space:]]*(extension|ext[.]?|x|#)[[:space:]]*[0-9]+[[:space:]]*$', '\\1', 1, 1, 'i'), '(0)', ''), '[^0-9]', '')
    when regexp_like("PHONE", '[^0-9+]*00.*', 's') then substr(regexp_replace(replace(regexp_replace("PHONE", '([0-9])[[:space:]]*(extension|ext[.]?|x|#)[[:space:]]*[0-9]+[[:space:]]*$', '\\1', 1, 1, 'i'), '(0)', ''), '[^0-9]', ''), 3)
    when '44' = '1' and regexp_like(ltrim(regexp_replace(replace(regexp_replace("PHONE", '([0-9])[[:space:]]*(extension|ext[.]?|x|#)[[:space:]]*[0-9]+[[:space:]]*$', '\\1', 1, 1, 'i'), '(0)', ''), '[^0-9]', ''), '0'), '1[0-9]{10}') then ltrim(regexp_replace(replace(regexp_replace("PHONE", '([0-9])[[:space:]]*(extension|ext[.]?|x|#)[[:space:]]*[0-9]+[[:space:]]*$', '\\1', 1, 1, 'i'), '(0)', ''), '[^0-9]', ''), '0')
    else '44' || ltrim(regexp_replace(replace(regexp_replace("PHONE", '([0-9])[[:space:]]*(extension|ext[.]?|x|#)[[:space:]]*[0-9]+[[:space:]]*$', '\\1', 1, 1, 'i'), '(0)', ''), '[^0-9]', ''), '0')
  end,
  '^[1-9][0-9]{7,14}$'), 256)
end as "PH",
    case
  when regexp_like("FIRST_NAME", '[0-9A-Fa-f]{64}') then lower("FIRST_NAME")
  else sha2(nullif(lower(translate("FIRST_NAME",
  ' !"#$%&''()*+,-./0123456789:;<=>?@[\\]^_`{|}~'
  || '¡¢£¤¥¦§¨©«¬®¯°±²³´¶·¸¹»¼½¾¿×÷'
  || '‐‑‒–—―‖‗‘’‚‛“”„‟†‡•‣․‥…‧‰‱′″‴‵‶‷‸‹›※‼‽‾‿⁀⁁⁂⁃⁄⁅⁆⁇⁈⁉⁊⁋⁌⁍⁎⁏⁐⁑⁒⁓⁔⁕⁖⁗⁘⁙⁚⁛⁜⁝⁞'
  || '\t\n\u000b\u000c\r\u00a0\u00ad\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202f\u205f\u3000\ufeff',
  '')), ''), 256)
end as "FN",
    case
  when regexp_like("LAST_NAME", '[0-9A-Fa-f]{64}') then lower("LAST_NAME")
  else sha2(nullif(lower(translate("LAST_NAME",
  ' !"#$%&''()*+,-./0123456789:;<=>?@[\\]^_`{|}~'
  || '¡¢£¤¥¦§¨©«¬®¯°±²³´¶·¸¹»¼½¾¿×÷'
  || '‐‑‒–—―‖‗‘’‚‛“”„‟†‡•‣․‥…‧‰‱′″‴‵‶‷‸‹›※‼‽‾‿⁀⁁⁂⁃⁄⁅⁆⁇⁈⁉⁊⁋⁌⁍⁎⁏⁐⁑⁒⁓⁔⁕⁖⁗⁘⁙⁚⁛⁜⁝⁞'
  || '\t\n\u000b\u000c\r\u00a0\u00ad\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202f\u205f\u3000\ufeff',
  '')), ''), 256)
end as "LN",
    case
  when regexp_like("GENDER", '[0-9A-Fa-f]{64}') then lower("GENDER")
  else sha2(case lower("GENDER") when 'm' then 'm' when 'male' then 'm' when 'f' then 'f' when 'female' then 'f' end, 256)
end as "GE",
    case
  when regexp_like("CITY", '[0-9A-Fa-f]{64}') then lower("CITY")
  else sha2(nullif(lower(translate("CITY",
  ' !"#$%&''()*+,-./0123456789:;<=>?@[\\]^_`{|}~'
  || '¡¢£¤¥¦§¨©«¬®¯°±²³´¶·¸¹»¼½¾¿×÷'
  || '‐‑‒–—―‖‗‘’‚‛“”„‟†‡•‣․‥…‧‰‱′″‴‵‶‷‸‹›※‼‽‾‿⁀⁁⁂⁃⁄⁅⁆⁇⁈⁉⁊⁋⁌⁍⁎⁏⁐⁑⁒⁓⁔⁕⁖⁗⁘⁙⁚⁛⁜⁝⁞'
  || '\t\n\u000b\u000c\r\u00a0\u00ad\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202f\u205f\u3000\ufeff',
  '')), ''), 256)
end as "CT",
    case
  when regexp_like("STATE", '[0-9A-Fa-f]{64}') then lower("STATE")
  else sha2(regexp_substr(lower(translate("STATE",
  ' !"#$%&''()*+,-./0123456789:;<=>?@[\\]^_`{|}~'
  || '¡¢£¤¥¦§¨©«¬®¯°±²³´¶·¸¹»¼½¾¿×÷'
  || '‐‑‒–—―‖‗‘’‚‛“”„‟†‡•‣․‥…‧‰‱′″‴‵‶‷‸‹›※‼‽‾‿⁀⁁⁂⁃⁄⁅⁆⁇⁈⁉⁊⁋⁌⁍⁎⁏⁐⁑⁒⁓⁔⁕⁖⁗⁘⁙⁚⁛⁜⁝⁞'
  || '\t\n\u000b\u000c\r\u00a0\u00ad\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202f\u205f\u3000\ufeff',
  '')), '^.{2}$'), 256)
end as "ST",
    case
  when regexp_like("POSTAL_CODE", '[0-9A-Fa-f]{64}') then lower("POSTAL_CODE")
  else sha2(case
  when regexp_like(lower(regexp_replace("POSTAL_CODE", '[[:space:]]|-', '')), '[0-9]{5}([0-9]{4})?') then substr(lower(regexp_replace("POSTAL_CODE", '[[:space:]]|-', '')), 1, 5)
  when regexp_like(lower(regexp_replace("POSTAL_CODE", '[[:space:]]|-', '')), '[a-z]{1,2}[0-9][a-z0-9]?[0-9][a-z]{2}') then substr(lower(regexp_replace("POSTAL_CODE", '[[:space:]]|-', '')), 1, length(lower(regexp_replace("POSTAL_CODE", '[[:space:]]|-', ''))) - 2)
  else nullif(lower(regexp_replace("POSTAL_CODE", '[[:space:]]|-', '')), '')
end, 256)
end as "ZP",
    case
  when regexp_like("COUNTRY", '[0-9A-Fa-f]{64}') then lower("COUNTRY")
  else sha2(case lower("COUNTRY") when 'uk' then 'gb' else regexp_substr(lower("COUNTRY"), '^[a-z]{2}$') end, 256)
end as "COUNTRY",
    case
  when regexp_like("EXTERNAL_ID", '[0-9A-Fa-f]{64}') then lower("EXTERNAL_ID")
  else sha2(lower("EXTERNAL_ID"), 256)
end as "EXTERNAL_ID",
    case
  when regexp_like("DATE_OF_BIRTH", '[0-9A-Fa-f]{64}') then lower("DATE_OF_BIRTH")
  else sha2(case
  when try_cast(substr(regexp_substr(regexp_replace(substr("DATE_OF_BIRTH", 1, 10), '[-/.]', ''), '^(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$'), 7, 2) as integer)
    <= day(last_day(date_from_parts(try_cast(substr(regexp_substr(regexp_replace(substr("DATE_OF_BIRTH", 1, 10), '[-/.]', ''), '^(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$'), 1, 4) as integer), try_cast(substr(regexp_substr(regexp_replace(substr("DATE_OF_BIRTH", 1, 10), '[-/.]', ''), '^(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$'), 5, 2) as integer), 1)))
  then regexp_substr(regexp_replace(substr("DATE_OF_BIRTH", 1, 10), '[-/.]', ''), '^(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$')
end, 256)
end as "DB",
    "CLIENT_IP_ADDRESS" as "CLIENT_IP_ADDRESS",
    "CLIENT_USER_AGENT" as "CLIENT_USER_AGENT",
    "SC_CLICK_ID" as "SC_CLICK_ID",
    "SC_COOKIE1" as "SC_COOKIE1",
    nullif(lower("MADID"), '00000000-0000-0000-0000-000000000000') as "MADID",
    "SOURCE_CURSOR",
    date_part(epoch_second, current_timestamp()) as "NOW_S"
  from m
),
e as (
  select n.*, coalesce("SOURCE_EVENT_ID", "ORDER_ID", 'cs-' || substr(sha2(concat_ws(chr(31), coalesce(cast("CLIENT_IP_ADDRESS" as varchar), '\\N'), coalesce(cast("CLIENT_USER_AGENT" as varchar), '\\N'), coalesce(cast("CONTENT_IDS" as varchar), '\\N'), coalesce(cast("COUNTRY" as varchar), '\\N'), coalesce(cast("CT" as varchar), '\\N'), coalesce(cast("CURRENCY" as varchar), '\\N'), coalesce(cast("DB" as varchar), '\\N'), coalesce(cast("EM" as varchar), '\\N'), coalesce(cast("EVENT_NAME" as varchar), '\\N'), coalesce(cast("EVENT_TIME" as varchar), '\\N'), coalesce(cast("EXTERNAL_ID" as varchar), '\\N'), coalesce(cast("FN" as varchar), '\\N'), coalesce(cast("GE" as varchar), '\\N'), coalesce(cast("LN" as varchar), '\\N'), coalesce(cast("MADID" as varchar), '\\N'), coalesce(cast("NUM_ITEMS" as varchar), '\\N'), coalesce(cast("ORDER_ID" as varchar), '\\N'), coalesce(cast("PH" as varchar), '\\N'), coalesce(cast("SC_CLICK_ID" as varchar), '\\N'), coalesce(cast("SC_COOKIE1" as varchar), '\\N'), coalesce(cast("ST" as varchar), '\\N'), coalesce(cast("VALUE" as varchar), '\\N'), coalesce(cast("ZP" as varchar), '\\N')), 256), 1, 32)) as "EVENT_ID"
  from n
)
select
  "EVENT_ID" as "EVENT_ID",
  "SOURCE_CURSOR" as "CURSOR",
  "EVENT_TIME" as "EVENT_TIME",
  case
    when "EVENT_TIME" is null then 'missing_event_time'
    when "EVENT_NAME" is null then 'invalid_event_name'
    when "EVENT_TIME" > "NOW_S" then 'event_in_future'
    when "EVENT_TIME" < "NOW_S" - 2592000 then 'event_too_old'
    when "EVENT_NAME" = 'PURCHASE' and "VALUE" is null then 'missing_value'
    when "EVENT_NAME" = 'PURCHASE' and "CURRENCY_TEXT" is null then 'missing_currency'
    when "EVENT_NAME" = 'PURCHASE' and "CURRENCY" is null then 'invalid_currency'
    when "EM" is null and "PH" is null and "MADID" is null and ("CLIENT_IP_ADDRESS" is null or "CLIENT_USER_AGENT" is null) then 'no_user_identifier'
    when "SOURCE_CURSOR" is null then 'missing_cursor'
  end as "REASON",
  array_to_string(array_construct_compact(iff("EM" is not null, 'em', null), iff("PH" is not null, 'ph', null), iff("FN" is not null, 'fn', null), iff("LN" is not null, 'ln', null), iff("GE" is not null, 'ge', null), iff("CT" is not null, 'ct', null), iff("ST" is not null, 'st', null), iff("ZP" is not null, 'zp', null), iff("COUNTRY" is not null, 'country', null), iff("EXTERNAL_ID" is not null, 'external_id', null), iff("DB" is not null, 'db', null), iff("CLIENT_IP_ADDRESS" is not null, 'client_ip_address', null), iff("CLIENT_USER_AGENT" is not null, 'client_user_agent', null), iff("SC_CLICK_ID" is not null, 'sc_click_id', null), iff("SC_COOKIE1" is not null, 'sc_cookie1', null), iff("MADID" is not null, 'madid', null)), ',') as "MATCH_KEYS",
  to_json(object_construct('event_name', "EVENT_NAME", 'event_time', "EVENT_TIME", 'event_id', "EVENT_ID", 'action_source', cast('OFFLINE' as varchar), 'user_data', object_construct('em', case when "EM" is not null then array_construct("EM") end, 'ph', case when "PH" is not null then array_construct("PH") end, 'fn', "FN", 'ln', "LN", 'ge', "GE", 'ct', "CT", 'st', "ST", 'zp', "ZP", 'country', "COUNTRY", 'external_id', "EXTERNAL_ID", 'db', "DB", 'client_ip_address', "CLIENT_IP_ADDRESS", 'client_user_agent', "CLIENT_USER_AGENT", 'sc_click_id', "SC_CLICK_ID", 'sc_cookie1', "SC_COOKIE1", 'madid', "MADID"), 'custom_data', try_parse_json(nullif(to_json(object_construct('value', "VALUE", 'currency', "CURRENCY", 'order_id', "ORDER_ID", 'content_ids', "CONTENT_IDS", 'num_items', "NUM_ITEMS")), '{}')))) as "PAYLOAD"
from e;

create view "CAPI_SYNC"."EVERY_FIELD_OUTBOUND" as
select "EVENT_ID", "CURSOR", "PAYLOAD"
from "CAPI_SYNC"."EVERY_FIELD_PREPARED"
where "REASON" is null;

create view "CAPI_SYNC"."EVERY_FIELD_REJECTED" as
select "EVENT_ID", "CURSOR", "EVENT_TIME", "REASON"
from "CAPI_SYNC"."EVERY_FIELD_PREPARED"
where "REASON" is not null;

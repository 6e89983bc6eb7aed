create view "capi_sync"."every_field_prepared" as
with source as (
select * from "shop"."orders"
),
mapped as (
  select
    nullif(btrim(to_jsonb(src."paid_at") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "event_time",
    nullif(btrim(to_jsonb(src."kind") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "event_name",
    nullif(btrim(to_jsonb(src."id") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "event_id",
    nullif(btrim(to_jsonb(src."ref") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "order_id",
    nullif(btrim(to_jsonb(src."total") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "value",
    nullif(btrim(to_jsonb(src."cur") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "currency",
    nullif(btrim(to_jsonb(src."items") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "content_ids",
    nullif(btrim(to_jsonb(src."n") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "num_items",
    nullif(btrim(to_jsonb(src."mail") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "email",
    nullif(btrim(to_jsonb(src."tel") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "phone",
    nullif(btrim(to_jsonb(src."fn") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "first_name",
    nullif(btrim(to_jsonb(src."ln") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "last_name",
    nullif(btrim(to_jsonb(src."sex") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "gender",
    nullif(btrim(to_jsonb(src."town") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "city",
    nullif(btrim(to_jsonb(src."region") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "state",
    nullif(btrim(to_jsonb(src."postcode") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "postal_code",
    nullif(btrim(to_jsonb(src."cc") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "country",
    nullif(btrim(to_jsonb(src."uid") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "external_id",
    nullif(btrim(to_jsonb(src."born") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "date_of_birth",
    nullif(btrim(to_jsonb(src."ip") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "client_ip_address",
    nullif(btrim(to_jsonb(src."ua") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "client_user_agent",
    nullif(btrim(to_jsonb(src."click") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "sc_click_id",
    nullif(btrim(to_jsonb(src."cookie") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "sc_cookie1",
    nullif(btrim(to_jsonb(src."ad_id") #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "madid",
    src."loaded_at" as "source_cursor"
  from source as src
),
normalised as (
  select
    case
  when "event_time" ~ '^[+-]?[0-9]{1,16}(\.[0-9]*)?([eE][+-]?[0-9]{1,2})?$' then
    case
      when abs(cast("event_time" as numeric)) >= 1e15 then null
      when abs(cast("event_time" as numeric)) >= 1e12 then cast(floor(cast("event_time" as numeric) / 1000) as bigint)
      else cast(floor(cast("event_time" as numeric)) as bigint)
    end
  when "event_time" ~ '^(?!0000)([0-9]{4}|[1-9][0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?)?( ?(Z|UTC|GMT|[+-](0[0-9]|1[0-5])(:?[0-5][0-9]){0,2}))?$' then
    case
      when cast(substring("event_time" from '^[0-9]+-[0-9]{2}-([0-9]{2})') as integer) > extract(day from make_date(cast(substring("event_time" from '^([0-9]+)-') as integer), cast(substring("event_time" from '^[0-9]+-([0-9]{2})') as integer), 1) + interval '1 month - 1 day') then null
      when substring("event_time" from '^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$') ~ '(Z|UTC|GMT|[+-][0-9:]+)$'
        then cast(floor(extract(epoch from cast("event_time" as timestamptz))) as bigint)
      else cast(floor(extract(epoch from cast("event_time" as timestamp))) as bigint)
    end
end as "event_time",
    case upper(regexp_replace("event_name", '[\s-]+', '_', 'g'))
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
end as "event_name",
    "event_id" as "source_event_id",
    case when "value" ~ '^\+?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,2})?$' then
  case when cast("value" as numeric) < 1e15 then cast("value" as numeric) end
end as "value",
    "currency" as "currency_text",
    substring(upper("currency") from '^[A-Z]{3}$') as "currency",
    "order_id" as "order_id",
    nullif(array_to_json(array_remove(regexp_split_to_array(btrim(regexp_replace("content_ids", '^[\[{]|[\]}]$|"', '', 'g')), '\s*,\s*'), ''))::text, '[]')::json as "content_ids",
    case when "num_items" ~ '^\+?[0-9]{1,9}(\.0*)?$' then cast(cast("num_items" as numeric) as integer) end as "num_items",
    case
  when "email" ~ '^[0-9A-Fa-f]{64}$' then lower("email")
  else encode(sha256(convert_to(substring(lower("email") from '^[^@\s]+@[^@\s]+\.[^@\s.]+$'), 'UTF8')), 'hex')
end as "em",
    case
  when "phone" ~ '^[0-9A-Fa-f]{64}$' then lower("phone")
  else encode(sha256(convert_to(substring(
  case
    when "phone" ~ '^[0-9.]+[eE]\+?[0-9]+$' then null
    when "phone" ~ '^[^0-9]*\+' then regexp_replace(replace(regexp_replace("phone", '([0-9])\s*(extension|ext\.?|x|#)\s*[0-9]+\s*$', '\1', 'i'), '(0)', ''), '[^0-9]', '', 'g')
    when "phone" ~ '^[^0-9+]*00' then substr(regexp_replace(replace(regexp_replace("phone", '([0-9])\s*(extension|ext\.?|x|#)\s*[0-9]+\s*$', '\1', 'i'), '(0)', ''), '[^0-9]', '', 'g'), 3)
    when '44' = '1' and ltrim(regexp_replace(replace(regexp_replace("phone", '([0-9])\s*(extension|ext\.?|x|#)\s*[0-9]+\s*$', '\1', 'i'), '(0)', ''), '[^0-9]', '', 'g'), '0') ~ '^1[0-9]{10}$' then ltrim(regexp_replace(replace(regexp_replace("phone", '([0-9])\s*(extension|ext\.?|x|#)\s*[0-9]+\s*$', '\1', 'i'), '(0)', ''), '[^0-9]', '', 'g'), '0')
    else '44' || ltrim(regexp_replace(replace(regexp_replace("phone", '([0-9])\s*(extension|ext\.?|x|#)\s*[0-9]+\s*$', '\1', 'i'), '(0)', ''), '[^0-9]', '', 'g'), '0')
  end
  from '^[1-9][0-9]{7,14}$'), 'UTF8')), 'hex')
end as "ph",
    case
  when "first_name" ~ '^[0-9A-Fa-f]{64}$' then lower("first_name")
  else encode(sha256(convert_to(nullif(lower(regexp_replace(normalize("first_name", NFC), '[^[:alpha:]]', '', 'g')), ''), 'UTF8')), 'hex')
end as "fn",
    case
  when "last_name" ~ '^[0-9A-Fa-f]{64}$' then lower("last_name")
  else encode(sha256(convert_to(nullif(lower(regexp_replace(normalize("last_name", NFC), '[^[:alpha:]]', '', 'g')), ''), 'UTF8')), 'hex')
end as "ln",
    case
  when "gender" ~ '^[0-9A-Fa-f]{64}$' then lower("gender")
  else encode(sha256(convert_to(case lower("gender") when 'm' then 'm' when 'male' then 'm' when 'f' then 'f' when 'female' then 'f' end, 'UTF8')), 'hex')
end as "ge",
    case
  when "city" ~ '^[0-9A-Fa-f]{64}$' then lower("city")
  else encode(sha256(convert_to(nullif(lower(regexp_replace(normalize("city", NFC), '[^[:alpha:]]', '', 'g')), ''), 'UTF8')), 'hex')
end as "ct",
    case
  when "state" ~ '^[0-9A-Fa-f]{64}$' then lower("state")
  else encode(sha256(convert_to(substring(lower(regexp_replace("state", '[^[:alpha:]]', '', 'g')) from '^[[:alpha:]]{2}$'), 'UTF8')), 'hex')
end as "st",
    case
  when "postal_code" ~ '^[0-9A-Fa-f]{64}$' then lower("postal_code")
  else encode(sha256(convert_to(case
  when lower(regexp_replace("postal_code", '[\s-]', '', 'g')) ~ '^[0-9]{5}([0-9]{4})?$' then substr(lower(regexp_replace("postal_code", '[\s-]', '', 'g')), 1, 5)
  when lower(regexp_replace("postal_code", '[\s-]', '', 'g')) ~ '^[a-z]{1,2}[0-9][a-z0-9]?[0-9][a-z]{2}$' then substr(lower(regexp_replace("postal_code", '[\s-]', '', 'g')), 1, length(lower(regexp_replace("postal_code", '[\s-]', '', 'g'))) - 2)
  else nullif(lower(regexp_replace("postal_code", '[\s-]', '', 'g')), '')
end, 'UTF8')), 'hex')
end as "zp",
    case
  when "country" ~ '^[0-9A-Fa-f]{64}$' then lower("country")
  else encode(sha256(convert_to(case lower("country") when 'uk' then 'gb' else substring(lower("country") from '^[a-z]{2}$') end, 'UTF8')), 'hex')
end as "country",
    case
  when "external_id" ~ '^[0-9A-Fa-f]{64}$' then lower("external_id")
  else encode(sha256(convert_to(lower("external_id"), 'UTF8')), 'hex')
end as "external_id",
    case
  when "date_of_birth" ~ '^[0-9A-Fa-f]{64}$' then lower("date_of_birth")
  else encode(sha256(convert_to(case
  when cast(substr(substring(regexp_replace(substr("date_of_birth", 1, 10), '[-/.]', '', 'g') from '^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$'), 7, 2) as integer)
    <= extract(day from make_date(cast(substr(substring(regexp_replace(substr("date_of_birth", 1, 10), '[-/.]', '', 'g') from '^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$'), 1, 4) as integer), cast(substr(substring(regexp_replace(substr("date_of_birth", 1, 10), '[-/.]', '', 'g') from '^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$'), 5, 2) as integer), 1) + interval '1 month - 1 day')
  then substring(regexp_replace(substr("date_of_birth", 1, 10), '[-/.]', '', 'g') from '^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$')
end, 'UTF8')), 'hex')
end as "db",
    "client_ip_address" as "client_ip_address",
    "client_user_agent" as "client_user_agent",
    "sc_click_id" as "sc_click_id",
    "sc_cookie1" as "sc_cookie1",
    nullif(lower("madid"), '00000000-0000-0000-0000-000000000000') as "madid",
    "source_cursor",
    cast(floor(extract(epoch from now())) as bigint) as "now_s"
  from mapped
),
checked as (
  select
    normalised.*,
    coalesce("source_event_id", "order_id", 'cs-' || substr(encode(sha256(convert_to(concat_ws(chr(31), coalesce(cast("client_ip_address" as text), '\N'), coalesce(cast("client_user_agent" as text), '\N'), coalesce(cast("content_ids" as text), '\N'), coalesce(cast("country" as text), '\N'), coalesce(cast("ct" as text), '\N'), coalesce(cast("currency" as text), '\N'), coalesce(cast("db" as text), '\N'), coalesce(cast("em" as text), '\N'), coalesce(cast("event_name" as text), '\N'), coalesce(cast("event_time" as text), '\N'), coalesce(cast("external_id" as text), '\N'), coalesce(cast("fn" as text), '\N'), coalesce(cast("ge" as text), '\N'), coalesce(cast("ln" as text), '\N'), coalesce(cast("madid" as text), '\N'), coalesce(cast("num_items" as text), '\N'), coalesce(cast("order_id" as text), '\N'), coalesce(cast("ph" as text), '\N'), coalesce(cast("sc_click_id" as text), '\N'), coalesce(cast("sc_cookie1" as text), '\N'), coalesce(cast("st" as text), '\N'), coalesce(cast("value" as text), '\N'), coalesce(cast("zp" as text), '\N')), 'UTF8')), 'hex'), 1, 32)) as "event_id",
    case
      when "event_time" is null then 'missing_event_time'
      when "event_name" is null then 'invalid_event_name'
      when "event_time" > "now_s" then 'event_in_future'
      when "event_time" < "now_s" - 2592000 then 'event_too_old'
      when "event_name" = 'PURCHASE' and "value" is null then 'missing_value'
      when "event_name" = 'PURCHASE' and "currency_text" is null then 'missing_currency'
      when "event_name" = 'PURCHASE' and "currency" is null then 'invalid_currency'
      when "em" is null and "ph" is null and "madid" is null and ("client_ip_address" is null or "client_user_agent" is null) then 'no_user_identifier'
      when "source_cursor" is null then 'missing_cursor'
    end as "reason"
  from normalised
)
select
  "event_id",
  "source_cursor" as "cursor",
  "event_time",
  "reason",
  cast(json_strip_nulls(json_build_object('event_name', "event_name", 'event_time', "event_time", 'event_id', "event_id", 'action_source', 'OFFLINE', 'user_data', json_strip_nulls(json_build_object('em', case when "em" is not null then json_build_array("em") end, 'ph', case when "ph" is not null then json_build_array("ph") end, 'fn', "fn", 'ln', "ln", 'ge', "ge", 'ct', "ct", 'st', "st", 'zp', "zp", 'country', "country", 'external_id', "external_id", 'db', "db", 'client_ip_address', "client_ip_address", 'client_user_agent', "client_user_agent", 'sc_click_id', "sc_click_id", 'sc_cookie1', "sc_cookie1", 'madid', "madid")), 'custom_data', cast(nullif(cast(json_strip_nulls(json_build_object('value', "value", 'currency', "currency", 'order_id', "order_id", 'content_ids', "content_ids", 'num_items', "num_items")) as text), '{}') as json))) as text) as "payload"
from checked;

create view "capi_sync"."every_field_outbound" as
select "event_id", "cursor", "payload"
from "capi_sync"."every_field_prepared"
where "reason" is null;

create view "capi_sync"."every_field_rejected" as
select "event_id", "cursor", "event_time", "reason"
from "capi_sync"."every_field_prepared"
where "reason" is not null;

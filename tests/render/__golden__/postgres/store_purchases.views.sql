create view "capi_sync"."store_purchases_prepared" as
select
  n."event_id" as "event_id",
  src."loaded_at" as "cursor",
  n."event_time" as "event_time",
  case
    when n."event_time" is null then 'missing_event_time'
    when n."event_name" is null then 'invalid_event_name'
    when n."event_time" > n."now_s" then 'event_in_future'
    when n."event_time" < n."now_s" - 604800 then 'event_too_old'
    when n."event_name" = 'PURCHASE' and n."value" is null then 'missing_value'
    when n."event_name" = 'PURCHASE' and n."currency_text" is null then 'missing_currency'
    when n."event_name" = 'PURCHASE' and n."currency" is null then 'invalid_currency'
    when n."em" is null and n."ph" is null then 'no_user_identifier'
    when src."loaded_at" is null then 'missing_cursor'
  end as "reason",
  concat_ws(',', case when n."em" is not null then 'em' end, case when n."ph" is not null then 'ph' end, case when n."fn" is not null then 'fn' end, case when n."ln" is not null then 'ln' end, case when n."ct" is not null then 'ct' end, case when n."zp" is not null then 'zp' end, case when n."country" is not null then 'country' end) as "match_keys",
  cast(('{' || concat_ws(',', '"event_name":' || to_json(n."event_name"), '"event_time":' || to_json(n."event_time"), '"event_id":' || to_json(n."event_id"), '"action_source":' || to_json(cast('OFFLINE' as text)), '"user_data":' || ('{' || concat_ws(',', '"em":' || case when n."em" is not null then '["' || n."em" || '"]' end, '"ph":' || case when n."ph" is not null then '["' || n."ph" || '"]' end, '"fn":' || '"' || n."fn" || '"', '"ln":' || '"' || n."ln" || '"', '"ct":' || '"' || n."ct" || '"', '"zp":' || '"' || n."zp" || '"', '"country":' || '"' || n."country" || '"') || '}'), '"custom_data":' || nullif(('{' || concat_ws(',', '"value":' || to_json(n."value"), '"currency":' || to_json(n."currency"), '"order_id":' || to_json(n."order_id")) || '}'), '{}')) || '}') as text) as "payload"
from (
-- Store purchases from the point-of-sale export: one row per paid order.
-- Columns are named after capi-sync's fields (event_time, email, phone, ...); other columns are ignored.
-- Normalising and hashing are done by the views capi-sync builds on top of this select.
select
  order_ref      as order_id,
  paid_at        as event_time,
  total_amount   as value,
  currency_code  as currency,
  customer_email as email,
  customer_phone as phone,
  first_name,
  last_name,
  city,
  zip            as postal_code,
  country,
  loaded_at
from shop.orders
where status = 'paid'
) as src
cross join lateral (
  select
    nullif(btrim(case when pg_typeof(src."order_id") in ('text'::regtype, 'character varying'::regtype) then cast(src."order_id" as text) else to_jsonb(src."order_id") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "order_id",
    nullif(btrim(case when pg_typeof(src."event_time") in ('text'::regtype, 'character varying'::regtype) then cast(src."event_time" as text) else to_jsonb(src."event_time") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "event_time",
    nullif(btrim(case when pg_typeof(src."value") in ('text'::regtype, 'character varying'::regtype) then cast(src."value" as text) else to_jsonb(src."value") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "value",
    nullif(btrim(case when pg_typeof(src."currency") in ('text'::regtype, 'character varying'::regtype) then cast(src."currency" as text) else to_jsonb(src."currency") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "currency",
    nullif(btrim(case when pg_typeof(src."email") in ('text'::regtype, 'character varying'::regtype) then cast(src."email" as text) else to_jsonb(src."email") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "email",
    nullif(btrim(case when pg_typeof(src."phone") in ('text'::regtype, 'character varying'::regtype) then cast(src."phone" as text) else to_jsonb(src."phone") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "phone",
    nullif(btrim(case when pg_typeof(src."first_name") in ('text'::regtype, 'character varying'::regtype) then cast(src."first_name" as text) else to_jsonb(src."first_name") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "first_name",
    nullif(btrim(case when pg_typeof(src."last_name") in ('text'::regtype, 'character varying'::regtype) then cast(src."last_name" as text) else to_jsonb(src."last_name") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "last_name",
    nullif(btrim(case when pg_typeof(src."city") in ('text'::regtype, 'character varying'::regtype) then cast(src."city" as text) else to_jsonb(src."city") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "city",
    nullif(btrim(case when pg_typeof(src."postal_code") in ('text'::regtype, 'character varying'::regtype) then cast(src."postal_code" as text) else to_jsonb(src."postal_code") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "postal_code",
    nullif(btrim(case when pg_typeof(src."country") in ('text'::regtype, 'character varying'::regtype) then cast(src."country" as text) else to_jsonb(src."country") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "country",
    nullif(btrim(case when pg_typeof(cast('PURCHASE' as text)) in ('text'::regtype, 'character varying'::regtype) then cast(cast('PURCHASE' as text) as text) else to_jsonb(cast('PURCHASE' as text)) #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "event_name"
  offset 0
) as m
cross join lateral (
  select n.*, coalesce(n."order_id", 'cs-' || substr(encode(sha256(convert_to(concat_ws(chr(31), coalesce(cast(n."country" as text), '\N'), coalesce(cast(n."ct" as text), '\N'), coalesce(cast(n."currency" as text), '\N'), coalesce(cast(n."em" as text), '\N'), coalesce(cast(n."event_name" as text), '\N'), coalesce(cast(n."event_time" as text), '\N'), coalesce(cast(n."fn" as text), '\N'), coalesce(cast(n."ln" as text), '\N'), coalesce(cast(n."order_id" as text), '\N'), coalesce(cast(n."ph" as text), '\N'), coalesce(cast(n."value" as text), '\N'), coalesce(cast(n."zp" as text), '\N')), 'UTF8')), 'hex'), 1, 32)) as "event_id"
  from (
    select
      case
  when pg_typeof(src."event_time") = 'timestamp with time zone'::regtype and m."event_time" not like '%BC' and m."event_time" not like '%infinity'
    then cast(floor(extract(epoch from cast(m."event_time" as timestamptz))) as bigint)
  when pg_typeof(src."event_time") in ('timestamp without time zone'::regtype, 'date'::regtype) and m."event_time" not like '%BC' and m."event_time" not like '%infinity'
    then cast(floor(extract(epoch from cast(m."event_time" as timestamp))) as bigint)
  when (m."event_time" like '____-__-__' or m."event_time" like '____-__-__T__:__:__%' or m."event_time" like '____-__-__ __:__:__%')
    and m."event_time" ~ '^[0-9]+-[0-9]+-[0-9]+([ T][0-9]+:[0-9]+:[0-9]+(\.[0-9]{1,9})?(Z|[+-][0-9][0-9]:[0-9][0-9])?)?$'
    and substr(m."event_time", 1, 4) <> '0000' and substr(m."event_time", 6, 2) collate "C" between '01' and '12' and substr(m."event_time", 9, 2) collate "C" >= '01'
    and substr(m."event_time", 12, 2) collate "C" <= '23' and substr(m."event_time", 15, 2) collate "C" <= '59' and substr(m."event_time", 18, 2) collate "C" <= '59'
    and (substr(m."event_time", length(m."event_time") - 5, 1) not in ('+', '-') or length(m."event_time") = 10
      or (substr(m."event_time", length(m."event_time") - 4, 2) collate "C" <= '15' and right(m."event_time", 2) collate "C" <= '59'))
  then
    case
      when substr(m."event_time", 9, 2) collate "C" > case substr(m."event_time", 6, 2) collate "C" when '02' then case when cast(substr(m."event_time", 1, 4) as integer) % 4 = 0 and (cast(substr(m."event_time", 1, 4) as integer) % 100 <> 0 or cast(substr(m."event_time", 1, 4) as integer) % 400 = 0) then '29' else '28' end when '04' then '30' when '06' then '30' when '09' then '30' when '11' then '30' else '31' end then null
      when length(m."event_time") = 10 then cast(floor(extract(epoch from cast(m."event_time" as timestamp))) as bigint)
      when right(m."event_time", 1) = 'Z' or substr(m."event_time", length(m."event_time") - 5, 1) in ('+', '-')
        then cast(floor(extract(epoch from cast(m."event_time" as timestamptz))) as bigint)
      else cast(floor(extract(epoch from cast(m."event_time" as timestamp))) as bigint)
    end
  else case
  when m."event_time" ~ '^[+-]?[0-9]{1,16}(\.[0-9]*)?([eE][+-]?[0-9]{1,2})?$' then
    case
      when abs(cast(m."event_time" as numeric)) >= 1e15 then null
      when abs(cast(m."event_time" as numeric)) >= 1e12 then cast(floor(cast(m."event_time" as numeric) / 1000) as bigint)
      else cast(floor(cast(m."event_time" as numeric)) as bigint)
    end
  when m."event_time" ~ '^(?!0000)([0-9]{4}|[1-9][0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?( ?(Z|UTC|GMT|[+-](0[0-9]|1[0-5])(:?[0-5][0-9]){0,2}))?| ?(Z|UTC|GMT))?$' then
    case
      when cast(substring(m."event_time" from '^[0-9]+-[0-9]{2}-([0-9]{2})') as integer) > extract(day from make_date(cast(substring(m."event_time" from '^([0-9]+)-') as integer), cast(substring(m."event_time" from '^[0-9]+-([0-9]{2})') as integer), 1) + interval '1 month - 1 day') then null
      when substring(m."event_time" from '^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$') ~ '(Z|UTC|GMT|[+-][0-9:]+)$'
        then cast(floor(extract(epoch from cast(m."event_time" as timestamptz))) as bigint)
      else cast(floor(extract(epoch from cast(m."event_time" as timestamp))) as bigint)
    end
end
end as "event_time",
      case upper(regexp_replace(m."event_name", '[\s-]+', '_', 'g'))
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
      null as "source_event_id",
      case when m."value" ~ '^\+?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,2})?$' then
  case when cast(m."value" as numeric) < 1e15 then cast(m."value" as numeric) end
end as "value",
      m."currency" as "currency_text",
      substring(upper(m."currency") from '^[A-Z]{3}$') as "currency",
      m."order_id" as "order_id",
      case
  when octet_length(m."email") = 64 and m."email" ~ '^[0-9A-Fa-f]{64}$' then lower(m."email")
  else encode(sha256(convert_to(substring(lower(m."email") from '^[^@\s]+@[^@\s]+\.[^@\s.]+$'), 'UTF8')), 'hex')
end as "em",
      case
  when octet_length(m."phone") = 64 and m."phone" ~ '^[0-9A-Fa-f]{64}$' then lower(m."phone")
  else encode(sha256(convert_to(case
  when m."phone" !~ '[^0-9 ()+./-]' then substring(
    case
      when strpos(m."phone", '+') between 1 and (length(m."phone") - length(ltrim(m."phone", ' ()-+./')) + 1) - 1 then translate(replace(m."phone", '(0)', ''), ' ()-+./', '')
      when substr(m."phone", (length(m."phone") - length(ltrim(m."phone", ' ()-+./')) + 1), 2) = '00' then substr(translate(replace(m."phone", '(0)', ''), ' ()-+./', ''), 3)
      else ltrim(translate(replace(m."phone", '(0)', ''), ' ()-+./', ''), '0')
    end
    from '^[1-9][0-9]{7,14}$')
  else substring(
  case
    when m."phone" ~ '^[0-9.]+[eE]\+?[0-9]+$' then null
    when m."phone" ~ '^[^0-9]*\+' then regexp_replace(replace(regexp_replace(m."phone", '([0-9])\s*(extension|ext\.?|x|#)\s*[0-9]+\s*$', '\1', 'i'), '(0)', ''), '[^0-9]', '', 'g')
    when m."phone" ~ '^[^0-9+]*00' then substr(regexp_replace(replace(regexp_replace(m."phone", '([0-9])\s*(extension|ext\.?|x|#)\s*[0-9]+\s*$', '\1', 'i'), '(0)', ''), '[^0-9]', '', 'g'), 3)
    else ltrim(regexp_replace(replace(regexp_replace(m."phone", '([0-9])\s*(extension|ext\.?|x|#)\s*[0-9]+\s*$', '\1', 'i'), '(0)', ''), '[^0-9]', '', 'g'), '0')
  end
  from '^[1-9][0-9]{7,14}$')
end, 'UTF8')), 'hex')
end as "ph",
      case
  when octet_length(m."first_name") = 64 and m."first_name" ~ '^[0-9A-Fa-f]{64}$' then lower(m."first_name")
  else encode(sha256(convert_to(case
  when octet_length(m."first_name") = length(m."first_name")
    then nullif(lower(regexp_replace(m."first_name", '[^A-Za-z]+', '', 'g')), '')
  else nullif(lower(regexp_replace(normalize(m."first_name", NFC), '[^[:alpha:]]', '', 'g')), '')
end, 'UTF8')), 'hex')
end as "fn",
      case
  when octet_length(m."last_name") = 64 and m."last_name" ~ '^[0-9A-Fa-f]{64}$' then lower(m."last_name")
  else encode(sha256(convert_to(case
  when octet_length(m."last_name") = length(m."last_name")
    then nullif(lower(regexp_replace(m."last_name", '[^A-Za-z]+', '', 'g')), '')
  else nullif(lower(regexp_replace(normalize(m."last_name", NFC), '[^[:alpha:]]', '', 'g')), '')
end, 'UTF8')), 'hex')
end as "ln",
      case
  when octet_length(m."city") = 64 and m."city" ~ '^[0-9A-Fa-f]{64}$' then lower(m."city")
  else encode(sha256(convert_to(case
  when octet_length(m."city") = length(m."city")
    then nullif(lower(regexp_replace(m."city", '[^A-Za-z]+', '', 'g')), '')
  else nullif(lower(regexp_replace(normalize(m."city", NFC), '[^[:alpha:]]', '', 'g')), '')
end, 'UTF8')), 'hex')
end as "ct",
      case
  when octet_length(m."postal_code") = 64 and m."postal_code" ~ '^[0-9A-Fa-f]{64}$' then lower(m."postal_code")
  else encode(sha256(convert_to(case
  when octet_length(m."postal_code") = length(m."postal_code") and m."postal_code" !~ '[^0-9[:space:]-]' and length(translate(m."postal_code", E' \t\n\r\f\x0b-', '')) in (5, 9)
    then left(translate(m."postal_code", E' \t\n\r\f\x0b-', ''), 5)
  else nullif(regexp_replace(lower(regexp_replace(m."postal_code", '[\s-]', '', 'g')), '^([0-9]{5})(?:[0-9]{4})?$|^([a-z]{1,2}[0-9][a-z0-9]?[0-9])[a-z]{2}$', '\1\2'), '')
end, 'UTF8')), 'hex')
end as "zp",
      case
  when octet_length(m."country") = 64 and m."country" ~ '^[0-9A-Fa-f]{64}$' then lower(m."country")
  else encode(sha256(convert_to(case lower(m."country") when 'uk' then 'gb' else substring(lower(m."country") from '^[a-z]{2}$') end, 'UTF8')), 'hex')
end as "country",
      cast(floor(extract(epoch from now())) as bigint) as "now_s"
    offset 0
  ) as n
  offset 0
) as n;

create view "capi_sync"."store_purchases_outbound" as
select "event_id", "cursor", "payload"
from "capi_sync"."store_purchases_prepared"
where "reason" is null;

create view "capi_sync"."store_purchases_rejected" as
select "event_id", "cursor", "event_time", "reason"
from "capi_sync"."store_purchases_prepared"
where "reason" is not null;

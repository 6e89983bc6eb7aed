create view "capi_sync"."every_field_prepared" as
select
  n."event_id" as "event_id",
  src."loaded_at" as "cursor",
  n."event_time" as "event_time",
  case
    when n."event_time" is null then 'missing_event_time'
    when n."event_name" is null then 'invalid_event_name'
    when n."event_time" > n."now_s" then 'event_in_future'
    when n."event_time" < n."now_s" - 2592000 then 'event_too_old'
    when n."event_name" = 'PURCHASE' and n."value" is null then 'missing_value'
    when n."event_name" = 'PURCHASE' and n."currency_text" is null then 'missing_currency'
    when n."event_name" = 'PURCHASE' and n."currency" is null then 'invalid_currency'
    when n."em" is null and n."ph" is null and n."madid" is null and (n."client_ip_address" is null or n."client_user_agent" is null) then 'no_user_identifier'
    when src."loaded_at" is null then 'missing_cursor'
  end as "reason",
  concat_ws(',', case when n."em" is not null then 'em' end, case when n."ph" is not null then 'ph' end, case when n."fn" is not null then 'fn' end, case when n."ln" is not null then 'ln' end, case when n."ge" is not null then 'ge' end, case when n."ct" is not null then 'ct' end, case when n."st" is not null then 'st' end, case when n."zp" is not null then 'zp' end, case when n."country" is not null then 'country' end, case when n."external_id" is not null then 'external_id' end, case when n."db" is not null then 'db' end, case when n."client_ip_address" is not null then 'client_ip_address' end, case when n."client_user_agent" is not null then 'client_user_agent' end, case when n."sc_click_id" is not null then 'sc_click_id' end, case when n."sc_cookie1" is not null then 'sc_cookie1' end, case when n."madid" is not null then 'madid' end) as "match_keys",
  cast(('{' || concat_ws(',', '"event_name":' || to_json(n."event_name"), '"event_time":' || to_json(n."event_time"), '"event_id":' || to_json(n."event_id"), '"action_source":' || to_json(cast('OFFLINE' as text)), '"user_data":' || ('{' || concat_ws(',', '"em":' || case when n."em" is not null then '["' || n."em" || '"]' end, '"ph":' || case when n."ph" is not null then '["' || n."ph" || '"]' end, '"fn":' || '"' || n."fn" || '"', '"ln":' || '"' || n."ln" || '"', '"ge":' || '"' || n."ge" || '"', '"ct":' || '"' || n."ct" || '"', '"st":' || '"' || n."st" || '"', '"zp":' || '"' || n."zp" || '"', '"country":' || '"' || n."country" || '"', '"external_id":' || '"' || n."external_id" || '"', '"db":' || '"' || n."db" || '"', '"client_ip_address":' || to_json(n."client_ip_address"), '"client_user_agent":' || to_json(n."client_user_agent"), '"sc_click_id":' || to_json(n."sc_click_id"), '"sc_cookie1":' || to_json(n."sc_cookie1"), '"madid":' || to_json(n."madid")) || '}'), '"custom_data":' || nullif(('{' || concat_ws(',', '"value":' || to_json(n."value"), '"currency":' || to_json(n."currency"), '"order_id":' || to_json(n."order_id"), '"content_ids":' || to_json(n."content_ids"), '"num_items":' || to_json(n."num_items")) || '}'), '{}')) || '}') as text) as "payload"
from (
select * from "shop"."orders"
) as src
cross join lateral (
  select
    nullif(btrim(case when pg_typeof(src."paid_at") in ('text'::regtype, 'character varying'::regtype) then cast(src."paid_at" as text) else to_jsonb(src."paid_at") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "event_time",
    nullif(btrim(case when pg_typeof(src."kind") in ('text'::regtype, 'character varying'::regtype) then cast(src."kind" as text) else to_jsonb(src."kind") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "event_name",
    nullif(btrim(case when pg_typeof(src."id") in ('text'::regtype, 'character varying'::regtype) then cast(src."id" as text) else to_jsonb(src."id") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "event_id",
    nullif(btrim(case when pg_typeof(src."ref") in ('text'::regtype, 'character varying'::regtype) then cast(src."ref" as text) else to_jsonb(src."ref") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "order_id",
    nullif(btrim(case when pg_typeof(src."total") in ('text'::regtype, 'character varying'::regtype) then cast(src."total" as text) else to_jsonb(src."total") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "value",
    nullif(btrim(case when pg_typeof(src."cur") in ('text'::regtype, 'character varying'::regtype) then cast(src."cur" as text) else to_jsonb(src."cur") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "currency",
    nullif(btrim(case when pg_typeof(src."items") in ('text'::regtype, 'character varying'::regtype) then cast(src."items" as text) else to_jsonb(src."items") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "content_ids",
    nullif(btrim(case when pg_typeof(src."n") in ('text'::regtype, 'character varying'::regtype) then cast(src."n" as text) else to_jsonb(src."n") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "num_items",
    nullif(btrim(case when pg_typeof(src."mail") in ('text'::regtype, 'character varying'::regtype) then cast(src."mail" as text) else to_jsonb(src."mail") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "email",
    nullif(btrim(case when pg_typeof(src."tel") in ('text'::regtype, 'character varying'::regtype) then cast(src."tel" as text) else to_jsonb(src."tel") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "phone",
    nullif(btrim(case when pg_typeof(src."fn") in ('text'::regtype, 'character varying'::regtype) then cast(src."fn" as text) else to_jsonb(src."fn") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "first_name",
    nullif(btrim(case when pg_typeof(src."ln") in ('text'::regtype, 'character varying'::regtype) then cast(src."ln" as text) else to_jsonb(src."ln") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "last_name",
    nullif(btrim(case when pg_typeof(src."sex") in ('text'::regtype, 'character varying'::regtype) then cast(src."sex" as text) else to_jsonb(src."sex") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "gender",
    nullif(btrim(case when pg_typeof(src."town") in ('text'::regtype, 'character varying'::regtype) then cast(src."town" as text) else to_jsonb(src."town") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "city",
    nullif(btrim(case when pg_typeof(src."region") in ('text'::regtype, 'character varying'::regtype) then cast(src."region" as text) else to_jsonb(src."region") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "state",
    nullif(btrim(case when pg_typeof(src."postcode") in ('text'::regtype, 'character varying'::regtype) then cast(src."postcode" as text) else to_jsonb(src."postcode") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "postal_code",
    nullif(btrim(case when pg_typeof(src."cc") in ('text'::regtype, 'character varying'::regtype) then cast(src."cc" as text) else to_jsonb(src."cc") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "country",
    nullif(btrim(case when pg_typeof(src."uid") in ('text'::regtype, 'character varying'::regtype) then cast(src."uid" as text) else to_jsonb(src."uid") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "external_id",
    nullif(btrim(case when pg_typeof(src."born") in ('text'::regtype, 'character varying'::regtype) then cast(src."born" as text) else to_jsonb(src."born") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "date_of_birth",
    nullif(btrim(case when pg_typeof(src."ip") in ('text'::regtype, 'character varying'::regtype) then cast(src."ip" as text) else to_jsonb(src."ip") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "client_ip_address",
    nullif(btrim(case when pg_typeof(src."ua") in ('text'::regtype, 'character varying'::regtype) then cast(src."ua" as text) else to_jsonb(src."ua") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "client_user_agent",
    nullif(btrim(case when pg_typeof(src."click") in ('text'::regtype, 'character varying'::regtype) then cast(src."click" as text) else to_jsonb(src."click") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "sc_click_id",
    nullif(btrim(case when pg_typeof(src."cookie") in ('text'::regtype, 'character varying'::regtype) then cast(src."cookie" as text) else to_jsonb(src."cookie") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "sc_cookie1",
    nullif(btrim(case when pg_typeof(src."ad_id") in ('text'::regtype, 'character varying'::regtype) then cast(src."ad_id" as text) else to_jsonb(src."ad_id") #>> '{}' end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as "madid"
  offset 0
) as m
cross join lateral (
  select n.*, coalesce(n."source_event_id", n."order_id", 'cs-' || substr(encode(sha256(convert_to(concat_ws(chr(31), coalesce(cast(n."client_ip_address" as text), '\N'), coalesce(cast(n."client_user_agent" as text), '\N'), coalesce(cast(n."content_ids" as text), '\N'), coalesce(cast(n."country" as text), '\N'), coalesce(cast(n."ct" as text), '\N'), coalesce(cast(n."currency" as text), '\N'), coalesce(cast(n."db" as text), '\N'), coalesce(cast(n."em" as text), '\N'), coalesce(cast(n."event_name" as text), '\N'), coalesce(cast(n."event_time" as text), '\N'), coalesce(cast(n."external_id" as text), '\N'), coalesce(cast(n."fn" as text), '\N'), coalesce(cast(n."ge" as text), '\N'), coalesce(cast(n."ln" as text), '\N'), coalesce(cast(n."madid" as text), '\N'), coalesce(cast(n."num_items" as text), '\N'), coalesce(cast(n."order_id" as text), '\N'), coalesce(cast(n."ph" as text), '\N'), coalesce(cast(n."sc_click_id" as text), '\N'), coalesce(cast(n."sc_cookie1" as text), '\N'), coalesce(cast(n."st" as text), '\N'), coalesce(cast(n."value" as text), '\N'), coalesce(cast(n."zp" as text), '\N')), 'UTF8')), 'hex'), 1, 32)) as "event_id"
  from (
    select
      case
  when pg_typeof(src."paid_at") = 'timestamp with time zone'::regtype and m."event_time" not like '%BC' and m."event_time" not like '%infinity'
    then cast(floor(extract(epoch from cast(m."event_time" as timestamptz))) as bigint)
  when pg_typeof(src."paid_at") in ('timestamp without time zone'::regtype, 'date'::regtype) and m."event_time" not like '%BC' and m."event_time" not like '%infinity'
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
      m."event_id" as "source_event_id",
      case when m."value" ~ '^\+?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,2})?$' then
  case when cast(m."value" as numeric) < 1e15 then cast(m."value" as numeric) end
end as "value",
      m."currency" as "currency_text",
      substring(upper(m."currency") from '^[A-Z]{3}$') as "currency",
      m."order_id" as "order_id",
      nullif(array_to_json(array_remove(regexp_split_to_array(btrim(regexp_replace(m."content_ids", '^[\[{]|[\]}]$|"', '', 'g')), '\s*,\s*'), ''))::text, '[]')::json as "content_ids",
      case when m."num_items" ~ '^\+?[0-9]{1,9}(\.0*)?$' then cast(cast(m."num_items" as numeric) as integer) end as "num_items",
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
      when '44' = '1' and left(ltrim(translate(replace(m."phone", '(0)', ''), ' ()-+./', ''), '0'), 1) = '1' and length(ltrim(translate(replace(m."phone", '(0)', ''), ' ()-+./', ''), '0')) = 11 then ltrim(translate(replace(m."phone", '(0)', ''), ' ()-+./', ''), '0')
      else '44' || ltrim(translate(replace(m."phone", '(0)', ''), ' ()-+./', ''), '0')
    end
    from '^[1-9][0-9]{7,14}$')
  else substring(
  case
    when m."phone" ~ '^[0-9.]+[eE]\+?[0-9]+$' then null
    when m."phone" ~ '^[^0-9]*\+' then regexp_replace(replace(regexp_replace(m."phone", '([0-9])\s*(extension|ext\.?|x|#)\s*[0-9]+\s*$', '\1', 'i'), '(0)', ''), '[^0-9]', '', 'g')
    when m."phone" ~ '^[^0-9+]*00' then substr(regexp_replace(replace(regexp_replace(m."phone", '([0-9])\s*(extension|ext\.?|x|#)\s*[0-9]+\s*$', '\1', 'i'), '(0)', ''), '[^0-9]', '', 'g'), 3)
    when '44' = '1' and ltrim(regexp_replace(replace(regexp_replace(m."phone", '([0-9])\s*(extension|ext\.?|x|#)\s*[0-9]+\s*$', '\1', 'i'), '(0)', ''), '[^0-9]', '', 'g'), '0') ~ '^1[0-9]{10}$' then ltrim(regexp_replace(replace(regexp_replace(m."phone", '([0-9])\s*(extension|ext\.?|x|#)\s*[0-9]+\s*$', '\1', 'i'), '(0)', ''), '[^0-9]', '', 'g'), '0')
    else '44' || ltrim(regexp_replace(replace(regexp_replace(m."phone", '([0-9])\s*(extension|ext\.?|x|#)\s*[0-9]+\s*$', '\1', 'i'), '(0)', ''), '[^0-9]', '', 'g'), '0')
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
  when octet_length(m."gender") = 64 and m."gender" ~ '^[0-9A-Fa-f]{64}$' then lower(m."gender")
  else encode(sha256(convert_to(case lower(m."gender") when 'm' then 'm' when 'male' then 'm' when 'f' then 'f' when 'female' then 'f' end, 'UTF8')), 'hex')
end as "ge",
      case
  when octet_length(m."city") = 64 and m."city" ~ '^[0-9A-Fa-f]{64}$' then lower(m."city")
  else encode(sha256(convert_to(case
  when octet_length(m."city") = length(m."city")
    then nullif(lower(regexp_replace(m."city", '[^A-Za-z]+', '', 'g')), '')
  else nullif(lower(regexp_replace(normalize(m."city", NFC), '[^[:alpha:]]', '', 'g')), '')
end, 'UTF8')), 'hex')
end as "ct",
      case
  when octet_length(m."state") = 64 and m."state" ~ '^[0-9A-Fa-f]{64}$' then lower(m."state")
  else encode(sha256(convert_to(substring(lower(regexp_replace(m."state", '[^[:alpha:]]', '', 'g')) from '^[[:alpha:]]{2}$'), 'UTF8')), 'hex')
end as "st",
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
      case
  when octet_length(m."external_id") = 64 and m."external_id" ~ '^[0-9A-Fa-f]{64}$' then lower(m."external_id")
  else encode(sha256(convert_to(lower(m."external_id"), 'UTF8')), 'hex')
end as "external_id",
      case
  when octet_length(m."date_of_birth") = 64 and m."date_of_birth" ~ '^[0-9A-Fa-f]{64}$' then lower(m."date_of_birth")
  else encode(sha256(convert_to(case
  when cast(substr(substring(regexp_replace(substr(m."date_of_birth", 1, 10), '[-/.]', '', 'g') from '^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$'), 7, 2) as integer)
    <= extract(day from make_date(cast(substr(substring(regexp_replace(substr(m."date_of_birth", 1, 10), '[-/.]', '', 'g') from '^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$'), 1, 4) as integer), cast(substr(substring(regexp_replace(substr(m."date_of_birth", 1, 10), '[-/.]', '', 'g') from '^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$'), 5, 2) as integer), 1) + interval '1 month - 1 day')
  then substring(regexp_replace(substr(m."date_of_birth", 1, 10), '[-/.]', '', 'g') from '^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$')
end, 'UTF8')), 'hex')
end as "db",
      m."client_ip_address" as "client_ip_address",
      m."client_user_agent" as "client_user_agent",
      m."sc_click_id" as "sc_click_id",
      m."sc_cookie1" as "sc_cookie1",
      nullif(lower(m."madid"), '00000000-0000-0000-0000-000000000000') as "madid",
      cast(floor(extract(epoch from now())) as bigint) as "now_s"
    offset 0
  ) as n
  offset 0
) as n;

create view "capi_sync"."every_field_outbound" as
select "event_id", "cursor", "payload"
from "capi_sync"."every_field_prepared"
where "reason" is null;

create view "capi_sync"."every_field_rejected" as
select "event_id", "cursor", "event_time", "reason"
from "capi_sync"."every_field_prepared"
where "reason" is not null;

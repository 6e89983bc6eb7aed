create view `my-project.capi_sync`.`every_field_prepared` as
with m as (
  select
    nullif(trim(case when src.`paid_at` is not null then coalesce(json_value(to_json(src.`paid_at`)), to_json_string(src.`paid_at`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `event_time`,
    nullif(trim(case when src.`kind` is not null then coalesce(json_value(to_json(src.`kind`)), to_json_string(src.`kind`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `event_name`,
    nullif(trim(case when src.`id` is not null then coalesce(json_value(to_json(src.`id`)), to_json_string(src.`id`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `event_id`,
    nullif(trim(case when src.`ref` is not null then coalesce(json_value(to_json(src.`ref`)), to_json_string(src.`ref`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `order_id`,
    nullif(trim(case when src.`total` is not null then coalesce(json_value(to_json(src.`total`)), to_json_string(src.`total`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `value`,
    nullif(trim(case when src.`cur` is not null then coalesce(json_value(to_json(src.`cur`)), to_json_string(src.`cur`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `currency`,
    nullif(trim(case when src.`items` is not null then coalesce(json_value(to_json(src.`items`)), to_json_string(src.`items`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `content_ids`,
    nullif(trim(case when src.`n` is not null then coalesce(json_value(to_json(src.`n`)), to_json_string(src.`n`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `num_items`,
    nullif(trim(case when src.`mail` is not null then coalesce(json_value(to_json(src.`mail`)), to_json_string(src.`mail`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `email`,
    nullif(trim(case when src.`tel` is not null then coalesce(json_value(to_json(src.`tel`)), to_json_string(src.`tel`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `phone`,
    nullif(trim(case when src.`fn` is not null then coalesce(json_value(to_json(src.`fn`)), to_json_string(src.`fn`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `first_name`,
    nullif(trim(case when src.`ln` is not null then coalesce(json_value(to_json(src.`ln`)), to_json_string(src.`ln`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `last_name`,
    nullif(trim(case when src.`sex` is not null then coalesce(json_value(to_json(src.`sex`)), to_json_string(src.`sex`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `gender`,
    nullif(trim(case when src.`town` is not null then coalesce(json_value(to_json(src.`town`)), to_json_string(src.`town`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `city`,
    nullif(trim(case when src.`region` is not null then coalesce(json_value(to_json(src.`region`)), to_json_string(src.`region`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `state`,
    nullif(trim(case when src.`postcode` is not null then coalesce(json_value(to_json(src.`postcode`)), to_json_string(src.`postcode`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `postal_code`,
    nullif(trim(case when src.`cc` is not null then coalesce(json_value(to_json(src.`cc`)), to_json_string(src.`cc`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `country`,
    nullif(trim(case when src.`uid` is not null then coalesce(json_value(to_json(src.`uid`)), to_json_string(src.`uid`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `external_id`,
    nullif(trim(case when src.`born` is not null then coalesce(json_value(to_json(src.`born`)), to_json_string(src.`born`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `date_of_birth`,
    nullif(trim(case when src.`ip` is not null then coalesce(json_value(to_json(src.`ip`)), to_json_string(src.`ip`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `client_ip_address`,
    nullif(trim(case when src.`ua` is not null then coalesce(json_value(to_json(src.`ua`)), to_json_string(src.`ua`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `client_user_agent`,
    nullif(trim(case when src.`click` is not null then coalesce(json_value(to_json(src.`click`)), to_json_string(src.`click`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `sc_click_id`,
    nullif(trim(case when src.`cookie` is not null then coalesce(json_value(to_json(src.`cookie`)), to_json_string(src.`cookie`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `sc_cookie1`,
    nullif(trim(case when src.`ad_id` is not null then coalesce(json_value(to_json(src.`ad_id`)), to_json_string(src.`ad_id`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `madid`,
    src.`loaded_at` as `source_cursor`
  from (
select * from `shop`.`orders`
  ) as src
),
n as (
  select
    case
  when regexp_contains(`event_time`, r'^[+-]?[0-9]{1,16}(\.[0-9]*)?([eE][+-]?[0-9]{1,2})?$') then
    case
      when abs(safe_cast(`event_time` as bignumeric)) >= 1000000000000000 then null
      when abs(safe_cast(`event_time` as bignumeric)) >= 1000000000000 then cast(floor(safe_cast(`event_time` as bignumeric) / 1000) as int64)
      else cast(floor(safe_cast(`event_time` as bignumeric)) as int64)
    end
  when regexp_contains(`event_time`, r'^([0-9]{4}|[1-9][0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?( ?(Z|UTC|GMT|[+-](0[0-9]|1[0-5])(:?[0-5][0-9]){0,2}))?| ?(Z|UTC|GMT))?$')
    and not starts_with(`event_time`, '0000') then
    case
      when safe_cast(regexp_extract(`event_time`, r'^[0-9]+-[0-9]{2}-([0-9]{2})') as int64) > extract(day from last_day(safe.date(2000 + mod(safe_cast(regexp_extract(`event_time`, r'^([0-9]+)-') as int64), 400), safe_cast(regexp_extract(`event_time`, r'^[0-9]+-([0-9]{2})') as int64), 1))) then null
      else (date_diff(safe.date(2000 + mod(safe_cast(regexp_extract(`event_time`, r'^([0-9]+)-') as int64), 400), safe_cast(regexp_extract(`event_time`, r'^[0-9]+-([0-9]{2})') as int64), safe_cast(regexp_extract(`event_time`, r'^[0-9]+-[0-9]{2}-([0-9]{2})') as int64)), date '1970-01-01', day) + (div(safe_cast(regexp_extract(`event_time`, r'^([0-9]+)-') as int64), 400) - 5) * 146097) * 86400
        + coalesce(safe_cast(regexp_extract(`event_time`, r'^[0-9]+-[0-9]{2}-[0-9]{2}[ T]([0-9]{2}):') as int64), 0) * 3600
        + coalesce(safe_cast(regexp_extract(`event_time`, r'^[0-9]+-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:([0-9]{2})') as int64), 0) * 60
        + coalesce(safe_cast(regexp_extract(`event_time`, r'^[0-9]+-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:([0-9]{2})') as int64), 0)
        - case when starts_with(replace(regexp_extract(regexp_extract(`event_time`, r'^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$'), r'(Z|UTC|GMT|[+-][0-9:]+)$'), ':', ''), '+') or starts_with(replace(regexp_extract(regexp_extract(`event_time`, r'^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$'), r'(Z|UTC|GMT|[+-][0-9:]+)$'), ':', ''), '-') then
            if(starts_with(replace(regexp_extract(regexp_extract(`event_time`, r'^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$'), r'(Z|UTC|GMT|[+-][0-9:]+)$'), ':', ''), '-'), -1, 1) * (coalesce(safe_cast(nullif(substr(replace(regexp_extract(regexp_extract(`event_time`, r'^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$'), r'(Z|UTC|GMT|[+-][0-9:]+)$'), ':', ''), 2, 2), '') as int64), 0) * 3600 + coalesce(safe_cast(nullif(substr(replace(regexp_extract(regexp_extract(`event_time`, r'^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$'), r'(Z|UTC|GMT|[+-][0-9:]+)$'), ':', ''), 4, 2), '') as int64), 0) * 60 + coalesce(safe_cast(nullif(substr(replace(regexp_extract(regexp_extract(`event_time`, r'^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$'), r'(Z|UTC|GMT|[+-][0-9:]+)$'), ':', ''), 6, 2), '') as int64), 0))
          else 0 end
    end
end as `event_time`,
    case upper(regexp_replace(`event_name`, r'[\s-]+', '_'))
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
end as `event_name`,
    `event_id` as `source_event_id`,
    case when regexp_contains(`value`, r'^\+?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,2})?$') then
  case when safe_cast(ltrim(`value`, '+') as float64) < 1e15 then safe_cast(ltrim(`value`, '+') as float64) end
end as `value`,
    `currency` as `currency_text`,
    regexp_extract(upper(`currency`), r'^[A-Z]{3}$') as `currency`,
    `order_id` as `order_id`,
    (
  select if(count(*) = 0, null, to_json(array_agg(id order by position)))
  from unnest(split(regexp_replace(trim(regexp_replace(`content_ids`, r'^[\[{]|[\]}]$|"', ''), ' '), r'\s*,\s*', ','), ',')) as id with offset as position
  where id != ''
) as `content_ids`,
    case when regexp_contains(`num_items`, r'^\+?[0-9]{1,9}(\.0*)?$') then cast(regexp_extract(`num_items`, r'[0-9]+') as int64) end as `num_items`,
    case
  when regexp_contains(`email`, r'^[0-9A-Fa-f]{64}$') then lower(`email`)
  else to_hex(sha256(regexp_extract(lower(`email`), r'^[^@\s]+@[^@\s]+\.[^@\s.]+$')))
end as `em`,
    case
  when regexp_contains(`phone`, r'^[0-9A-Fa-f]{64}$') then lower(`phone`)
  else to_hex(sha256(regexp_extract(
  case
    when regexp_contains(`phone`, r'^[0-9.]+[eE]\+?[0-9]+$') then null
    when regexp_contains(`phone`, r'^[^0-9]*\+') then regexp_replace(replace(regexp_replace(`phone`, r'(?i)([0-9])\s*(?:extension|ext\.?|x|#)\s*[0-9]+\s*$', r'\1'), '(0)', ''), r'[^0-9]', '')
    when regexp_contains(`phone`, r'^[^0-9+]*00') then substr(regexp_replace(replace(regexp_replace(`phone`, r'(?i)([0-9])\s*(?:extension|ext\.?|x|#)\s*[0-9]+\s*$', r'\1'), '(0)', ''), r'[^0-9]', ''), 3)
    when '44' = '1' and regexp_contains(ltrim(regexp_replace(replace(regexp_replace(`phone`, r'(?i)([0-9])\s*(?:extension|ext\.?|x|#)\s*[0-9]+\s*$', r'\1'), '(0)', ''), r'[^0-9]', ''), '0'), r'^1[0-9]{10}$') then ltrim(regexp_replace(replace(regexp_replace(`phone`, r'(?i)([0-9])\s*(?:extension|ext\.?|x|#)\s*[0-9]+\s*$', r'\1'), '(0)', ''), r'[^0-9]', ''), '0')
    else '44' || ltrim(regexp_replace(replace(regexp_replace(`phone`, r'(?i)([0-9])\s*(?:extension|ext\.?|x|#)\s*[0-9]+\s*$', r'\1'), '(0)', ''), r'[^0-9]', ''), '0')
  end,
  r'^[1-9][0-9]{7,14}$')))
end as `ph`,
    case
  when regexp_contains(`first_name`, r'^[0-9A-Fa-f]{64}$') then lower(`first_name`)
  else to_hex(sha256(nullif(lower(regexp_replace(normalize(`first_name`, NFC), r'\P{L}', '')), '')))
end as `fn`,
    case
  when regexp_contains(`last_name`, r'^[0-9A-Fa-f]{64}$') then lower(`last_name`)
  else to_hex(sha256(nullif(lower(regexp_replace(normalize(`last_name`, NFC), r'\P{L}', '')), '')))
end as `ln`,
    case
  when regexp_contains(`gender`, r'^[0-9A-Fa-f]{64}$') then lower(`gender`)
  else to_hex(sha256(case lower(`gender`) when 'm' then 'm' when 'male' then 'm' when 'f' then 'f' when 'female' then 'f' end))
end as `ge`,
    case
  when regexp_contains(`city`, r'^[0-9A-Fa-f]{64}$') then lower(`city`)
  else to_hex(sha256(nullif(lower(regexp_replace(normalize(`city`, NFC), r'\P{L}', '')), '')))
end as `ct`,
    case
  when regexp_contains(`state`, r'^[0-9A-Fa-f]{64}$') then lower(`state`)
  else to_hex(sha256(regexp_extract(lower(regexp_replace(`state`, r'\P{L}', '')), r'^\p{L}{2}$')))
end as `st`,
    case
  when regexp_contains(`postal_code`, r'^[0-9A-Fa-f]{64}$') then lower(`postal_code`)
  else to_hex(sha256(case
  when regexp_contains(lower(regexp_replace(`postal_code`, r'[\s-]', '')), r'^[0-9]{5}([0-9]{4})?$') then substr(lower(regexp_replace(`postal_code`, r'[\s-]', '')), 1, 5)
  when regexp_contains(lower(regexp_replace(`postal_code`, r'[\s-]', '')), r'^[a-z]{1,2}[0-9][a-z0-9]?[0-9][a-z]{2}$') then substr(lower(regexp_replace(`postal_code`, r'[\s-]', '')), 1, length(lower(regexp_replace(`postal_code`, r'[\s-]', ''))) - 2)
  else nullif(lower(regexp_replace(`postal_code`, r'[\s-]', '')), '')
end))
end as `zp`,
    case
  when regexp_contains(`country`, r'^[0-9A-Fa-f]{64}$') then lower(`country`)
  else to_hex(sha256(case lower(`country`) when 'uk' then 'gb' else regexp_extract(lower(`country`), r'^[a-z]{2}$') end))
end as `country`,
    case
  when regexp_contains(`external_id`, r'^[0-9A-Fa-f]{64}$') then lower(`external_id`)
  else to_hex(sha256(lower(`external_id`)))
end as `external_id`,
    case
  when regexp_contains(`date_of_birth`, r'^[0-9A-Fa-f]{64}$') then lower(`date_of_birth`)
  else to_hex(sha256(case
  when safe_cast(substr(regexp_extract(regexp_replace(substr(`date_of_birth`, 1, 10), r'[-/.]', ''), r'^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$'), 7, 2) as int64)
    <= extract(day from last_day(safe.date(safe_cast(substr(regexp_extract(regexp_replace(substr(`date_of_birth`, 1, 10), r'[-/.]', ''), r'^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$'), 1, 4) as int64), safe_cast(substr(regexp_extract(regexp_replace(substr(`date_of_birth`, 1, 10), r'[-/.]', ''), r'^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$'), 5, 2) as int64), 1)))
  then regexp_extract(regexp_replace(substr(`date_of_birth`, 1, 10), r'[-/.]', ''), r'^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$')
end))
end as `db`,
    `client_ip_address` as `client_ip_address`,
    `client_user_agent` as `client_user_agent`,
    `sc_click_id` as `sc_click_id`,
    `sc_cookie1` as `sc_cookie1`,
    nullif(lower(`madid`), '00000000-0000-0000-0000-000000000000') as `madid`,
    `source_cursor`,
    unix_seconds(current_timestamp()) as `now_s`
  from m
),
e as (
  select n.*, coalesce(`source_event_id`, `order_id`, 'cs-' || substr(to_hex(sha256(array_to_string([coalesce(case when `client_ip_address` is not null then coalesce(json_value(to_json(`client_ip_address`)), to_json_string(`client_ip_address`)) end, r'\N'), coalesce(case when `client_user_agent` is not null then coalesce(json_value(to_json(`client_user_agent`)), to_json_string(`client_user_agent`)) end, r'\N'), coalesce(case when `content_ids` is not null then coalesce(json_value(to_json(`content_ids`)), to_json_string(`content_ids`)) end, r'\N'), coalesce(case when `country` is not null then coalesce(json_value(to_json(`country`)), to_json_string(`country`)) end, r'\N'), coalesce(case when `ct` is not null then coalesce(json_value(to_json(`ct`)), to_json_string(`ct`)) end, r'\N'), coalesce(case when `currency` is not null then coalesce(json_value(to_json(`currency`)), to_json_string(`currency`)) end, r'\N'), coalesce(case when `db` is not null then coalesce(json_value(to_json(`db`)), to_json_string(`db`)) end, r'\N'), coalesce(case when `em` is not null then coalesce(json_value(to_json(`em`)), to_json_string(`em`)) end, r'\N'), coalesce(case when `event_name` is not null then coalesce(json_value(to_json(`event_name`)), to_json_string(`event_name`)) end, r'\N'), coalesce(case when `event_time` is not null then coalesce(json_value(to_json(`event_time`)), to_json_string(`event_time`)) end, r'\N'), coalesce(case when `external_id` is not null then coalesce(json_value(to_json(`external_id`)), to_json_string(`external_id`)) end, r'\N'), coalesce(case when `fn` is not null then coalesce(json_value(to_json(`fn`)), to_json_string(`fn`)) end, r'\N'), coalesce(case when `ge` is not null then coalesce(json_value(to_json(`ge`)), to_json_string(`ge`)) end, r'\N'), coalesce(case when `ln` is not null then coalesce(json_value(to_json(`ln`)), to_json_string(`ln`)) end, r'\N'), coalesce(case when `madid` is not null then coalesce(json_value(to_json(`madid`)), to_json_string(`madid`)) end, r'\N'), coalesce(case when `num_items` is not null then coalesce(json_value(to_json(`num_items`)), to_json_string(`num_items`)) end, r'\N'), coalesce(case when `order_id` is not null then coalesce(json_value(to_json(`order_id`)), to_json_string(`order_id`)) end, r'\N'), coalesce(case when `ph` is not null then coalesce(json_value(to_json(`ph`)), to_json_string(`ph`)) end, r'\N'), coalesce(case when `sc_click_id` is not null then coalesce(json_value(to_json(`sc_click_id`)), to_json_string(`sc_click_id`)) end, r'\N'), coalesce(case when `sc_cookie1` is not null then coalesce(json_value(to_json(`sc_cookie1`)), to_json_string(`sc_cookie1`)) end, r'\N'), coalesce(case when `st` is not null then coalesce(json_value(to_json(`st`)), to_json_string(`st`)) end, r'\N'), coalesce(case when `value` is not null then coalesce(json_value(to_json(`value`)), to_json_string(`value`)) end, r'\N'), coalesce(case when `zp` is not null then coalesce(json_value(to_json(`zp`)), to_json_string(`zp`)) end, r'\N')], code_points_to_string([31])))), 1, 32)) as `event_id`
  from n
)
select
  `event_id` as `event_id`,
  `source_cursor` as `cursor`,
  `event_time` as `event_time`,
  case
    when `event_time` is null then 'missing_event_time'
    when `event_name` is null then 'invalid_event_name'
    when `event_time` > `now_s` then 'event_in_future'
    when `event_time` < `now_s` - 2592000 then 'event_too_old'
    when `event_name` = 'PURCHASE' and `value` is null then 'missing_value'
    when `event_name` = 'PURCHASE' and `currency_text` is null then 'missing_currency'
    when `event_name` = 'PURCHASE' and `currency` is null then 'invalid_currency'
    when `em` is null and `ph` is null and `madid` is null and (`client_ip_address` is null or `client_user_agent` is null) then 'no_user_identifier'
    when `source_cursor` is null then 'missing_cursor'
  end as `reason`,
  array_to_string([if(`em` is not null, 'em', null), if(`ph` is not null, 'ph', null), if(`fn` is not null, 'fn', null), if(`ln` is not null, 'ln', null), if(`ge` is not null, 'ge', null), if(`ct` is not null, 'ct', null), if(`st` is not null, 'st', null), if(`zp` is not null, 'zp', null), if(`country` is not null, 'country', null), if(`external_id` is not null, 'external_id', null), if(`db` is not null, 'db', null), if(`client_ip_address` is not null, 'client_ip_address', null), if(`client_user_agent` is not null, 'client_user_agent', null), if(`sc_click_id` is not null, 'sc_click_id', null), if(`sc_cookie1` is not null, 'sc_cookie1', null), if(`madid` is not null, 'madid', null)], ',') as `match_keys`,
  to_json_string(json_strip_nulls(json_object('event_name', `event_name`, 'event_time', `event_time`, 'event_id', `event_id`, 'action_source', case when 'OFFLINE' is not null then coalesce(json_value(to_json('OFFLINE')), to_json_string('OFFLINE')) end, 'user_data', json_strip_nulls(json_object('em', case when `em` is not null then json_array(`em`) end, 'ph', case when `ph` is not null then json_array(`ph`) end, 'fn', `fn`, 'ln', `ln`, 'ge', `ge`, 'ct', `ct`, 'st', `st`, 'zp', `zp`, 'country', `country`, 'external_id', `external_id`, 'db', `db`, 'client_ip_address', `client_ip_address`, 'client_user_agent', `client_user_agent`, 'sc_click_id', `sc_click_id`, 'sc_cookie1', `sc_cookie1`, 'madid', `madid`)), 'custom_data', safe.parse_json(nullif(to_json_string(json_strip_nulls(json_object('value', `value`, 'currency', `currency`, 'order_id', `order_id`, 'content_ids', `content_ids`, 'num_items', `num_items`))), '{}'), wide_number_mode => 'round')))) as `payload`
from e;

create view `my-project.capi_sync`.`every_field_outbound` as
select `event_id`, `cursor`, `payload`
from `my-project.capi_sync`.`every_field_prepared`
where `reason` is null;

create view `my-project.capi_sync`.`every_field_rejected` as
select `event_id`, `cursor`, `event_time`, `reason`
from `my-project.capi_sync`.`every_field_prepared`
where `reason` is not null;

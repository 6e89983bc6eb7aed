create view `my-project.capi_sync`.`store_purchases_prepared` as
with m as (
  select
    nullif(trim(case when src.`order_id` is not null then coalesce(json_value(to_json(src.`order_id`)), to_json_string(src.`order_id`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `order_id`,
    nullif(trim(case when src.`event_time` is not null then coalesce(json_value(to_json(src.`event_time`)), to_json_string(src.`event_time`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `event_time`,
    nullif(trim(case when src.`value` is not null then coalesce(json_value(to_json(src.`value`)), to_json_string(src.`value`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `value`,
    nullif(trim(case when src.`currency` is not null then coalesce(json_value(to_json(src.`currency`)), to_json_string(src.`currency`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `currency`,
    nullif(trim(case when src.`email` is not null then coalesce(json_value(to_json(src.`email`)), to_json_string(src.`email`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `email`,
    nullif(trim(case when src.`phone` is not null then coalesce(json_value(to_json(src.`phone`)), to_json_string(src.`phone`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `phone`,
    nullif(trim(case when src.`first_name` is not null then coalesce(json_value(to_json(src.`first_name`)), to_json_string(src.`first_name`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `first_name`,
    nullif(trim(case when src.`last_name` is not null then coalesce(json_value(to_json(src.`last_name`)), to_json_string(src.`last_name`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `last_name`,
    nullif(trim(case when src.`city` is not null then coalesce(json_value(to_json(src.`city`)), to_json_string(src.`city`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `city`,
    nullif(trim(case when src.`postal_code` is not null then coalesce(json_value(to_json(src.`postal_code`)), to_json_string(src.`postal_code`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `postal_code`,
    nullif(trim(case when src.`country` is not null then coalesce(json_value(to_json(src.`country`)), to_json_string(src.`country`)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `country`,
    nullif(trim(case when case when 'PURCHASE' is not null then coalesce(json_value(to_json('PURCHASE')), to_json_string('PURCHASE')) end is not null then coalesce(json_value(to_json(case when 'PURCHASE' is not null then coalesce(json_value(to_json('PURCHASE')), to_json_string('PURCHASE')) end)), to_json_string(case when 'PURCHASE' is not null then coalesce(json_value(to_json('PURCHASE')), to_json_string('PURCHASE')) end)) end, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '') as `event_name`,
    src.`loaded_at` as `source_cursor`
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
    null as `source_event_id`,
    case when regexp_contains(`value`, r'^\+?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,2})?$') then
  case when safe_cast(ltrim(`value`, '+') as float64) < 1e15 then safe_cast(ltrim(`value`, '+') as float64) end
end as `value`,
    `currency` as `currency_text`,
    regexp_extract(upper(`currency`), r'^[A-Z]{3}$') as `currency`,
    `order_id` as `order_id`,
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
    else ltrim(regexp_replace(replace(regexp_replace(`phone`, r'(?i)([0-9])\s*(?:extension|ext\.?|x|#)\s*[0-9]+\s*$', r'\1'), '(0)', ''), r'[^0-9]', ''), '0')
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
  when regexp_contains(`city`, r'^[0-9A-Fa-f]{64}$') then lower(`city`)
  else to_hex(sha256(nullif(lower(regexp_replace(normalize(`city`, NFC), r'\P{L}', '')), '')))
end as `ct`,
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
    `source_cursor`,
    unix_seconds(current_timestamp()) as `now_s`
  from m
),
e as (
  select n.*, coalesce(`order_id`, 'cs-' || substr(to_hex(sha256(array_to_string([coalesce(case when `country` is not null then coalesce(json_value(to_json(`country`)), to_json_string(`country`)) end, r'\N'), coalesce(case when `ct` is not null then coalesce(json_value(to_json(`ct`)), to_json_string(`ct`)) end, r'\N'), coalesce(case when `currency` is not null then coalesce(json_value(to_json(`currency`)), to_json_string(`currency`)) end, r'\N'), coalesce(case when `em` is not null then coalesce(json_value(to_json(`em`)), to_json_string(`em`)) end, r'\N'), coalesce(case when `event_name` is not null then coalesce(json_value(to_json(`event_name`)), to_json_string(`event_name`)) end, r'\N'), coalesce(case when `event_time` is not null then coalesce(json_value(to_json(`event_time`)), to_json_string(`event_time`)) end, r'\N'), coalesce(case when `fn` is not null then coalesce(json_value(to_json(`fn`)), to_json_string(`fn`)) end, r'\N'), coalesce(case when `ln` is not null then coalesce(json_value(to_json(`ln`)), to_json_string(`ln`)) end, r'\N'), coalesce(case when `order_id` is not null then coalesce(json_value(to_json(`order_id`)), to_json_string(`order_id`)) end, r'\N'), coalesce(case when `ph` is not null then coalesce(json_value(to_json(`ph`)), to_json_string(`ph`)) end, r'\N'), coalesce(case when `value` is not null then coalesce(json_value(to_json(`value`)), to_json_string(`value`)) end, r'\N'), coalesce(case when `zp` is not null then coalesce(json_value(to_json(`zp`)), to_json_string(`zp`)) end, r'\N')], code_points_to_string([31])))), 1, 32)) as `event_id`
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
    when `event_time` < `now_s` - 604800 then 'event_too_old'
    when `event_name` = 'PURCHASE' and `value` is null then 'missing_value'
    when `event_name` = 'PURCHASE' and `currency_text` is null then 'missing_currency'
    when `event_name` = 'PURCHASE' and `currency` is null then 'invalid_currency'
    when `em` is null and `ph` is null then 'no_user_identifier'
    when `source_cursor` is null then 'missing_cursor'
  end as `reason`,
  array_to_string([if(`em` is not null, 'em', null), if(`ph` is not null, 'ph', null), if(`fn` is not null, 'fn', null), if(`ln` is not null, 'ln', null), if(`ct` is not null, 'ct', null), if(`zp` is not null, 'zp', null), if(`country` is not null, 'country', null)], ',') as `match_keys`,
  to_json_string(json_strip_nulls(json_object('event_name', `event_name`, 'event_time', `event_time`, 'event_id', `event_id`, 'action_source', case when 'OFFLINE' is not null then coalesce(json_value(to_json('OFFLINE')), to_json_string('OFFLINE')) end, 'user_data', json_strip_nulls(json_object('em', case when `em` is not null then json_array(`em`) end, 'ph', case when `ph` is not null then json_array(`ph`) end, 'fn', `fn`, 'ln', `ln`, 'ct', `ct`, 'zp', `zp`, 'country', `country`)), 'custom_data', safe.parse_json(nullif(to_json_string(json_strip_nulls(json_object('value', `value`, 'currency', `currency`, 'order_id', `order_id`))), '{}'), wide_number_mode => 'round')))) as `payload`
from e;

create view `my-project.capi_sync`.`store_purchases_outbound` as
select `event_id`, `cursor`, `payload`
from `my-project.capi_sync`.`store_purchases_prepared`
where `reason` is null;

create view `my-project.capi_sync`.`store_purchases_rejected` as
select `event_id`, `cursor`, `event_time`, `reason`
from `my-project.capi_sync`.`store_purchases_prepared`
where `reason` is not null;

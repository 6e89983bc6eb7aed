select
  v.`event_id` as event_id,
  json_value(to_json(v.`cursor`, stringify_wide_numbers => true)) as cursor,
  v.`payload` as payload,
  v.`reason` as reason,
  v.`event_time` as event_time,
  v.`match_keys` as match_keys,
  1 as past
from `my-project.capi_sync`.`store_purchases_prepared` as v
where 1 = 1
  and v.`reason` is null
  and not exists (
    select 1 from `my-project.capi_sync`.`capi_sync_ledger` as l
    where l.activation = ? and l.event_id = v.`event_id` and l.sent_at >= timestamp_sub(current_timestamp(), interval 8 day)
  );

select
  v.`event_id` as event_id,
  json_value(to_json(v.`cursor`, stringify_wide_numbers => true)) as cursor,
  case when v.`reason` is null then v.`payload` end as payload,
  v.`reason` as reason,
  v.`event_time` as event_time,
  v.`match_keys` as match_keys,
  1 as past
from `my-project.capi_sync`.`store_purchases_prepared` as v
where 1 = 1
  and not exists (
    select 1 from `my-project.capi_sync`.`capi_sync_ledger` as l
    where l.activation = ? and l.event_id = v.`event_id` and l.sent_at >= timestamp_sub(current_timestamp(), interval 8 day)
  );

select
  v.`event_id` as event_id,
  json_value(to_json(v.`cursor`, stringify_wide_numbers => true)) as cursor,
  case when v.`reason` is null then v.`payload` end as payload,
  v.`reason` as reason,
  v.`event_time` as event_time,
  v.`match_keys` as match_keys,
  case when (v.`cursor` >= cast(? as TIMESTAMP) and (v.`cursor` > cast(? as TIMESTAMP) or v.`event_id` > ?)) then 1 else 0 end as past
from `my-project.capi_sync`.`store_purchases_prepared` as v
where (v.`cursor` >= cast(? as TIMESTAMP) and (v.`cursor` > cast(? as TIMESTAMP) or v.`event_id` > ?))
  and not exists (
    select 1 from `my-project.capi_sync`.`capi_sync_ledger` as l
    where l.activation = ? and l.event_id = v.`event_id` and l.sent_at >= timestamp_sub(current_timestamp(), interval 8 day)
  );

select
  v.`event_id` as event_id,
  json_value(to_json(v.`cursor`, stringify_wide_numbers => true)) as cursor,
  case when v.`reason` is null then v.`payload` end as payload,
  v.`reason` as reason,
  v.`event_time` as event_time,
  v.`match_keys` as match_keys,
  case when (v.`cursor` >= cast(? as TIMESTAMP) and (v.`cursor` > cast(? as TIMESTAMP) or v.`event_id` > ?)) then 1 else 0 end as past
from `my-project.capi_sync`.`store_purchases_prepared` as v
where v.`cursor` >= cast(? as TIMESTAMP)
  and not exists (
    select 1 from `my-project.capi_sync`.`capi_sync_ledger` as l
    where l.activation = ? and l.event_id = v.`event_id` and l.sent_at >= timestamp_sub(current_timestamp(), interval 8 day)
  );

select
  count(*) as n
from `my-project.capi_sync`.`store_purchases_prepared` as v
where 1 = 1
  and v.`reason` is null
  and not exists (
    select 1 from `my-project.capi_sync`.`capi_sync_ledger` as l
    where l.activation = ? and l.event_id = v.`event_id` and l.sent_at >= timestamp_sub(current_timestamp(), interval 8 day)
  );

select
  count(*) as n
from `my-project.capi_sync`.`store_purchases_prepared` as v
where v.`cursor` >= cast(? as TIMESTAMP)
  and v.`reason` is null
  and not exists (
    select 1 from `my-project.capi_sync`.`capi_sync_ledger` as l
    where l.activation = ? and l.event_id = v.`event_id` and l.sent_at >= timestamp_sub(current_timestamp(), interval 8 day)
  );

select v.`reason` as reason, count(*) as n from `my-project.capi_sync`.`store_purchases_rejected` as v group by v.`reason`;

select json_value(to_json(q.c, stringify_wide_numbers => true)) as cursor
from (select v.`cursor` as c from `my-project.capi_sync`.`store_purchases_prepared` as v where 1 = 0 union all select cast(? as TIMESTAMP)) as q;

select count(*) as n from `my-project.capi_sync`.`capi_sync_ledger`
where activation = ?
  and event_id in (select v.`event_id` from `my-project.capi_sync`.`store_purchases_prepared` as v where (v.`cursor` >= cast(? as TIMESTAMP) and (v.`cursor` > cast(? as TIMESTAMP) or v.`event_id` > ?)));

delete from `my-project.capi_sync`.`capi_sync_ledger`
where activation = ?
  and event_id in (select v.`event_id` from `my-project.capi_sync`.`store_purchases_prepared` as v where (v.`cursor` >= cast(? as TIMESTAMP) and (v.`cursor` > cast(? as TIMESTAMP) or v.`event_id` > ?)));

merge into `my-project.capi_sync`.`capi_sync_state` as s
using (select ? as activation, ? as cursor, ? as event_id) as w
on s.activation = w.activation
when matched then update set cursor = w.cursor, event_id = w.event_id, updated_at = current_timestamp()
when not matched then insert (activation, cursor, event_id, updated_at) values (w.activation, w.cursor, w.event_id, current_timestamp());

select count(*) as n from `my-project.capi_sync`.`capi_sync_ledger`
where activation = ?;

delete from `my-project.capi_sync`.`capi_sync_ledger`
where activation = ?;

merge into `my-project.capi_sync`.`capi_sync_state` as s
using (select ? as activation, ? as cursor, ? as event_id) as w
on s.activation = w.activation
when matched then update set cursor = w.cursor, event_id = w.event_id, updated_at = current_timestamp()
when not matched then insert (activation, cursor, event_id, updated_at) values (w.activation, w.cursor, w.event_id, current_timestamp());

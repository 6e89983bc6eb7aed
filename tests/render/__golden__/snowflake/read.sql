select
  v."EVENT_ID" as event_id,
  case
  when is_timestamp_tz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_tz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ltz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ltz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ntz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ntz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9')
  when is_date(to_variant(v."CURSOR")) then to_varchar(as_date(to_variant(v."CURSOR")), 'YYYY-MM-DD')
  else cast(v."CURSOR" as varchar)
end as cursor,
  v."PAYLOAD" as payload,
  v."REASON" as reason,
  v."EVENT_TIME" as event_time,
  v."MATCH_KEYS" as match_keys,
  1 as past
from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v
where 1 = 1
  and v."REASON" is null
  and not exists (
    select 1 from "CAPI_SYNC"."CAPI_SYNC_LEDGER" as l
    where l.activation = ? and l.event_id = v."EVENT_ID" and l.sent_at >= dateadd(day, -8, current_timestamp())
  );

select
  v."EVENT_ID" as event_id,
  case
  when is_timestamp_tz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_tz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ltz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ltz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ntz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ntz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9')
  when is_date(to_variant(v."CURSOR")) then to_varchar(as_date(to_variant(v."CURSOR")), 'YYYY-MM-DD')
  else cast(v."CURSOR" as varchar)
end as cursor,
  case when v."REASON" is null then v."PAYLOAD" end as payload,
  v."REASON" as reason,
  v."EVENT_TIME" as event_time,
  v."MATCH_KEYS" as match_keys,
  1 as past
from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v
where 1 = 1
  and not exists (
    select 1 from "CAPI_SYNC"."CAPI_SYNC_LEDGER" as l
    where l.activation = ? and l.event_id = v."EVENT_ID" and l.sent_at >= dateadd(day, -8, current_timestamp())
  );

select
  v."EVENT_ID" as event_id,
  case
  when is_timestamp_tz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_tz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ltz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ltz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ntz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ntz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9')
  when is_date(to_variant(v."CURSOR")) then to_varchar(as_date(to_variant(v."CURSOR")), 'YYYY-MM-DD')
  else cast(v."CURSOR" as varchar)
end as cursor,
  case when v."REASON" is null then v."PAYLOAD" end as payload,
  v."REASON" as reason,
  v."EVENT_TIME" as event_time,
  v."MATCH_KEYS" as match_keys,
  case when (v."CURSOR" >= to_timestamp_ntz(?, 'AUTO') and (v."CURSOR" > to_timestamp_ntz(?, 'AUTO') or collate(v."EVENT_ID", 'utf8') > ?)) then 1 else 0 end as past
from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v
where (v."CURSOR" >= to_timestamp_ntz(?, 'AUTO') and (v."CURSOR" > to_timestamp_ntz(?, 'AUTO') or collate(v."EVENT_ID", 'utf8') > ?))
  and not exists (
    select 1 from "CAPI_SYNC"."CAPI_SYNC_LEDGER" as l
    where l.activation = ? and l.event_id = v."EVENT_ID" and l.sent_at >= dateadd(day, -8, current_timestamp())
  );

select
  v."EVENT_ID" as event_id,
  case
  when is_timestamp_tz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_tz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ltz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ltz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ntz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ntz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9')
  when is_date(to_variant(v."CURSOR")) then to_varchar(as_date(to_variant(v."CURSOR")), 'YYYY-MM-DD')
  else cast(v."CURSOR" as varchar)
end as cursor,
  case when v."REASON" is null then v."PAYLOAD" end as payload,
  v."REASON" as reason,
  v."EVENT_TIME" as event_time,
  v."MATCH_KEYS" as match_keys,
  case when (v."CURSOR" >= to_timestamp_ntz(?, 'AUTO') and (v."CURSOR" > to_timestamp_ntz(?, 'AUTO') or collate(v."EVENT_ID", 'utf8') > ?)) then 1 else 0 end as past
from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v
where v."CURSOR" >= to_timestamp_ntz(?, 'AUTO')
  and not exists (
    select 1 from "CAPI_SYNC"."CAPI_SYNC_LEDGER" as l
    where l.activation = ? and l.event_id = v."EVENT_ID" and l.sent_at >= dateadd(day, -8, current_timestamp())
  );

select
  count(*) as n
from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v
where 1 = 1
  and v."REASON" is null
  and not exists (
    select 1 from "CAPI_SYNC"."CAPI_SYNC_LEDGER" as l
    where l.activation = ? and l.event_id = v."EVENT_ID" and l.sent_at >= dateadd(day, -8, current_timestamp())
  );

select
  count(*) as n
from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v
where v."CURSOR" >= to_timestamp_ntz(?, 'AUTO')
  and v."REASON" is null
  and not exists (
    select 1 from "CAPI_SYNC"."CAPI_SYNC_LEDGER" as l
    where l.activation = ? and l.event_id = v."EVENT_ID" and l.sent_at >= dateadd(day, -8, current_timestamp())
  );

select v."REASON" as reason, count(*) as n from "CAPI_SYNC"."STORE_PURCHASES_REJECTED" as v group by v."REASON";

select case
  when is_timestamp_tz(to_variant(q.c)) then to_varchar(as_timestamp_tz(to_variant(q.c)), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ltz(to_variant(q.c)) then to_varchar(as_timestamp_ltz(to_variant(q.c)), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ntz(to_variant(q.c)) then to_varchar(as_timestamp_ntz(to_variant(q.c)), 'YYYY-MM-DD"T"HH24:MI:SS.FF9')
  when is_date(to_variant(q.c)) then to_varchar(as_date(to_variant(q.c)), 'YYYY-MM-DD')
  else cast(q.c as varchar)
end as cursor
from (select v."CURSOR" as c from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v where 1 = 0 union all select to_timestamp_ntz(?, 'AUTO')) as q;

select count(*) as n from "CAPI_SYNC"."CAPI_SYNC_LEDGER"
where activation = ?
  and event_id in (select v."EVENT_ID" from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v where (v."CURSOR" >= to_timestamp_ntz(?, 'AUTO') and (v."CURSOR" > to_timestamp_ntz(?, 'AUTO') or collate(v."EVENT_ID", 'utf8') > ?)));

delete from "CAPI_SYNC"."CAPI_SYNC_LEDGER"
where activation = ?
  and event_id in (select v."EVENT_ID" from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v where (v."CURSOR" >= to_timestamp_ntz(?, 'AUTO') and (v."CURSOR" > to_timestamp_ntz(?, 'AUTO') or collate(v."EVENT_ID", 'utf8') > ?)));

merge into "CAPI_SYNC"."CAPI_SYNC_STATE" as s
using (select ? as activation, ? as cursor, ? as event_id) as w
on s.activation = w.activation
when matched then update set cursor = w.cursor, event_id = w.event_id, updated_at = current_timestamp()
when not matched then insert (activation, cursor, event_id, updated_at) values (w.activation, w.cursor, w.event_id, current_timestamp());

select count(*) as n from "CAPI_SYNC"."CAPI_SYNC_LEDGER"
where activation = ?;

delete from "CAPI_SYNC"."CAPI_SYNC_LEDGER"
where activation = ?;

merge into "CAPI_SYNC"."CAPI_SYNC_STATE" as s
using (select ? as activation, ? as cursor, ? as event_id) as w
on s.activation = w.activation
when matched then update set cursor = w.cursor, event_id = w.event_id, updated_at = current_timestamp()
when not matched then insert (activation, cursor, event_id, updated_at) values (w.activation, w.cursor, w.event_id, current_timestamp());

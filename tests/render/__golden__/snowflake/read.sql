select
  v."EVENT_ID" as event_id,
  cast(v."CURSOR" as varchar) as cursor,
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
  )
order by v."CURSOR", v."EVENT_ID";

select
  v."EVENT_ID" as event_id,
  cast(v."CURSOR" as varchar) as cursor,
  case when v."REASON" is null then v."PAYLOAD" end as payload,
  v."REASON" as reason,
  v."EVENT_TIME" as event_time,
  v."MATCH_KEYS" as match_keys,
  case when (v."CURSOR" >= ? and (v."CURSOR" > ? or v."EVENT_ID" > ?)) then 1 else 0 end as past
from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v
where (v."CURSOR" >= ? and (v."CURSOR" > ? or v."EVENT_ID" > ?))
  and not exists (
    select 1 from "CAPI_SYNC"."CAPI_SYNC_LEDGER" as l
    where l.activation = ? and l.event_id = v."EVENT_ID" and l.sent_at >= dateadd(day, -8, current_timestamp())
  )
order by v."CURSOR", v."EVENT_ID";

select
  v."EVENT_ID" as event_id,
  cast(v."CURSOR" as varchar) as cursor,
  case when v."REASON" is null then v."PAYLOAD" end as payload,
  v."REASON" as reason,
  v."EVENT_TIME" as event_time,
  v."MATCH_KEYS" as match_keys,
  case when (v."CURSOR" >= ? and (v."CURSOR" > ? or v."EVENT_ID" > ?)) then 1 else 0 end as past
from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v
where v."CURSOR" >= ?
  and not exists (
    select 1 from "CAPI_SYNC"."CAPI_SYNC_LEDGER" as l
    where l.activation = ? and l.event_id = v."EVENT_ID" and l.sent_at >= dateadd(day, -8, current_timestamp())
  )
order by v."CURSOR", v."EVENT_ID";

select
  count(*) as n
from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v
where v."CURSOR" >= ?
  and v."REASON" is null
  and not exists (
    select 1 from "CAPI_SYNC"."CAPI_SYNC_LEDGER" as l
    where l.activation = ? and l.event_id = v."EVENT_ID" and l.sent_at >= dateadd(day, -8, current_timestamp())
  );

select v."EVENT_ID" as event_id, cast(v."CURSOR" as varchar) as cursor,
  v."PAYLOAD" as payload
from "CAPI_SYNC"."STORE_PURCHASES_OUTBOUND" as v
order by v."CURSOR", v."EVENT_ID";

select v."EVENT_ID" as event_id, cast(v."CURSOR" as varchar) as cursor,
  case when v."REASON" is null then v."PAYLOAD" end as payload, v."REASON" as reason
from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v
order by v."CURSOR", v."EVENT_ID";

select v."EVENT_ID" as event_id, cast(v."CURSOR" as varchar) as cursor,
  v."PAYLOAD" as payload
from "CAPI_SYNC"."STORE_PURCHASES_OUTBOUND" as v
where (v."CURSOR" >= ? and (v."CURSOR" > ? or v."EVENT_ID" > ?))
order by v."CURSOR", v."EVENT_ID";

select v."EVENT_ID" as event_id, cast(v."CURSOR" as varchar) as cursor,
  case when v."REASON" is null then v."PAYLOAD" end as payload, v."REASON" as reason
from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v
where (v."CURSOR" >= ? and (v."CURSOR" > ? or v."EVENT_ID" > ?))
order by v."CURSOR", v."EVENT_ID";

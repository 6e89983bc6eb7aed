select o."EVENT_ID" as event_id, cast(o."CURSOR" as varchar) as cursor, o."PAYLOAD" as payload
from "CAPI_SYNC"."STORE_PURCHASES_OUTBOUND" as o
order by o."CURSOR", o."EVENT_ID";

select o."EVENT_ID" as event_id, cast(o."CURSOR" as varchar) as cursor, o."PAYLOAD" as payload
from "CAPI_SYNC"."STORE_PURCHASES_OUTBOUND" as o
where o."CURSOR" > ? or (o."CURSOR" = ? and o."EVENT_ID" > ?)
order by o."CURSOR", o."EVENT_ID";

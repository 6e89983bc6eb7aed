select v."EVENT_ID" as event_id, case
  when is_timestamp_tz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_tz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ltz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ltz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ntz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ntz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9')
  when is_date(to_variant(v."CURSOR")) then to_varchar(as_date(to_variant(v."CURSOR")), 'YYYY-MM-DD')
  else cast(v."CURSOR" as varchar)
end as cursor,
  v."PAYLOAD" as payload
from "CAPI_SYNC"."STORE_PURCHASES_OUTBOUND" as v
order by v."CURSOR", v."EVENT_ID";

select v."EVENT_ID" as event_id, case
  when is_timestamp_tz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_tz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ltz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ltz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ntz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ntz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9')
  when is_date(to_variant(v."CURSOR")) then to_varchar(as_date(to_variant(v."CURSOR")), 'YYYY-MM-DD')
  else cast(v."CURSOR" as varchar)
end as cursor,
  case when v."REASON" is null then v."PAYLOAD" end as payload, v."REASON" as reason
from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v
order by v."CURSOR", v."EVENT_ID";

select v."EVENT_ID" as event_id, case
  when is_timestamp_tz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_tz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ltz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ltz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ntz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ntz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9')
  when is_date(to_variant(v."CURSOR")) then to_varchar(as_date(to_variant(v."CURSOR")), 'YYYY-MM-DD')
  else cast(v."CURSOR" as varchar)
end as cursor,
  v."PAYLOAD" as payload
from "CAPI_SYNC"."STORE_PURCHASES_OUTBOUND" as v
where (v."CURSOR" >= ? and (v."CURSOR" > ? or v."EVENT_ID" > ?))
order by v."CURSOR", v."EVENT_ID";

select v."EVENT_ID" as event_id, case
  when is_timestamp_tz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_tz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ltz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ltz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')
  when is_timestamp_ntz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ntz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9')
  when is_date(to_variant(v."CURSOR")) then to_varchar(as_date(to_variant(v."CURSOR")), 'YYYY-MM-DD')
  else cast(v."CURSOR" as varchar)
end as cursor,
  case when v."REASON" is null then v."PAYLOAD" end as payload, v."REASON" as reason
from "CAPI_SYNC"."STORE_PURCHASES_PREPARED" as v
where (v."CURSOR" >= ? and (v."CURSOR" > ? or v."EVENT_ID" > ?))
order by v."CURSOR", v."EVENT_ID";

select count(*) as n from "CAPI_SYNC"."STORE_PURCHASES_OUTBOUND" as v ;

select v."REASON" as reason, count(*) as n from "CAPI_SYNC"."STORE_PURCHASES_REJECTED" as v  group by v."REASON";

select count(*) as n from "CAPI_SYNC"."STORE_PURCHASES_OUTBOUND" as v where (v."CURSOR" >= ? and (v."CURSOR" > ? or v."EVENT_ID" > ?));

select v."REASON" as reason, count(*) as n from "CAPI_SYNC"."STORE_PURCHASES_REJECTED" as v where (v."CURSOR" >= ? and (v."CURSOR" > ? or v."EVENT_ID" > ?)) group by v."REASON";

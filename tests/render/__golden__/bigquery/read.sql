select v.`event_id` as event_id, json_value(to_json(v.`cursor`, stringify_wide_numbers => true)) as cursor,
  v.`payload` as payload
from `my-project.capi_sync`.`store_purchases_outbound` as v
order by v.`cursor`, v.`event_id`;

select v.`event_id` as event_id, json_value(to_json(v.`cursor`, stringify_wide_numbers => true)) as cursor,
  case when v.`reason` is null then v.`payload` end as payload, v.`reason` as reason
from `my-project.capi_sync`.`store_purchases_prepared` as v
order by v.`cursor`, v.`event_id`;

select v.`event_id` as event_id, json_value(to_json(v.`cursor`, stringify_wide_numbers => true)) as cursor,
  v.`payload` as payload
from `my-project.capi_sync`.`store_purchases_outbound` as v
where exists (
  select 1
  from (select ? as cursor, ? as same_cursor, ? as event_id) as w
  where case
    when safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as bignumeric) is not null and safe_cast(w.cursor as bignumeric) is not null
      then safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as bignumeric) > safe_cast(w.cursor as bignumeric) or (safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as bignumeric) = safe_cast(w.cursor as bignumeric) and v.`event_id` > w.event_id)
    when safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as timestamp) is not null and safe_cast(w.cursor as timestamp) is not null
      then safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as timestamp) > safe_cast(w.cursor as timestamp) or (safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as timestamp) = safe_cast(w.cursor as timestamp) and v.`event_id` > w.event_id)
    else case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end > w.cursor or (case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end = w.cursor and v.`event_id` > w.event_id)
  end
)
order by v.`cursor`, v.`event_id`;

select v.`event_id` as event_id, json_value(to_json(v.`cursor`, stringify_wide_numbers => true)) as cursor,
  case when v.`reason` is null then v.`payload` end as payload, v.`reason` as reason
from `my-project.capi_sync`.`store_purchases_prepared` as v
where exists (
  select 1
  from (select ? as cursor, ? as same_cursor, ? as event_id) as w
  where case
    when safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as bignumeric) is not null and safe_cast(w.cursor as bignumeric) is not null
      then safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as bignumeric) > safe_cast(w.cursor as bignumeric) or (safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as bignumeric) = safe_cast(w.cursor as bignumeric) and v.`event_id` > w.event_id)
    when safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as timestamp) is not null and safe_cast(w.cursor as timestamp) is not null
      then safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as timestamp) > safe_cast(w.cursor as timestamp) or (safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as timestamp) = safe_cast(w.cursor as timestamp) and v.`event_id` > w.event_id)
    else case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end > w.cursor or (case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end = w.cursor and v.`event_id` > w.event_id)
  end
)
order by v.`cursor`, v.`event_id`;

select count(*) as n from `my-project.capi_sync`.`store_purchases_outbound` as v ;

select v.`reason` as reason, count(*) as n from `my-project.capi_sync`.`store_purchases_rejected` as v  group by v.`reason`;

select count(*) as n from `my-project.capi_sync`.`store_purchases_outbound` as v where exists (
  select 1
  from (select ? as cursor, ? as same_cursor, ? as event_id) as w
  where case
    when safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as bignumeric) is not null and safe_cast(w.cursor as bignumeric) is not null
      then safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as bignumeric) > safe_cast(w.cursor as bignumeric) or (safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as bignumeric) = safe_cast(w.cursor as bignumeric) and v.`event_id` > w.event_id)
    when safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as timestamp) is not null and safe_cast(w.cursor as timestamp) is not null
      then safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as timestamp) > safe_cast(w.cursor as timestamp) or (safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as timestamp) = safe_cast(w.cursor as timestamp) and v.`event_id` > w.event_id)
    else case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end > w.cursor or (case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end = w.cursor and v.`event_id` > w.event_id)
  end
);

select v.`reason` as reason, count(*) as n from `my-project.capi_sync`.`store_purchases_rejected` as v where exists (
  select 1
  from (select ? as cursor, ? as same_cursor, ? as event_id) as w
  where case
    when safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as bignumeric) is not null and safe_cast(w.cursor as bignumeric) is not null
      then safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as bignumeric) > safe_cast(w.cursor as bignumeric) or (safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as bignumeric) = safe_cast(w.cursor as bignumeric) and v.`event_id` > w.event_id)
    when safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as timestamp) is not null and safe_cast(w.cursor as timestamp) is not null
      then safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as timestamp) > safe_cast(w.cursor as timestamp) or (safe_cast(case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end as timestamp) = safe_cast(w.cursor as timestamp) and v.`event_id` > w.event_id)
    else case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end > w.cursor or (case when v.`cursor` is not null then coalesce(json_value(to_json(v.`cursor`)), nullif(to_json_string(v.`cursor`), 'null')) end = w.cursor and v.`event_id` > w.event_id)
  end
) group by v.`reason`;

{{!-- As default.sql: `events` is one JSON array parameter. No enforced primary key here, so a MERGE
     inserts only the events the ledger's recent partitions do not hold yet.
     https://cloud.google.com/bigquery/docs/reference/standard-sql/json_functions#json_query_array --}}
merge into {{ident schema "capi_sync_ledger"}} as l
using (
  select json_value(e, '$.event_id') as event_id, json_value(e, '$.cursor') as cursor,
    safe_cast(json_value(e, '$.event_time') as int64) as event_time, json_value(e, '$.match_keys') as match_keys,
    json_value(e, '$.status') as status, json_value(e, '$.payload_sha256') as payload_sha256
  from unnest(json_query_array({{param "events"}})) as e
) as w
on l.activation = {{param "activation"}} and l.event_id = w.event_id and l.sent_at >= {{macro "days_ago" days=ledger_days}}
when not matched then insert (activation, event_id, cursor, event_time, match_keys, status, run_id, sent_at, payload_sha256)
  values ({{param "activation"}}, w.event_id, w.cursor, w.event_time, w.match_keys, w.status, {{param "run_id"}}, current_timestamp(), w.payload_sha256)

{{!-- As default.sql: `events` is one JSON array parameter. No enforced primary key here, so a MERGE
     inserts only the events the ledger does not hold yet.
     https://docs.snowflake.com/en/sql-reference/functions/flatten --}}
merge into {{ident schema "capi_sync_ledger"}} as l
using (
  select e.value:event_id::varchar as event_id, e.value:cursor::varchar as cursor,
    try_to_number(e.value:event_time::varchar) as event_time, e.value:match_keys::varchar as match_keys,
    e.value:status::varchar as status, e.value:payload_sha256::varchar as payload_sha256
  from table(flatten(input => parse_json({{param "events"}}))) as e
) as w
on l.activation = {{param "activation"}} and l.event_id = w.event_id and l.sent_at >= {{macro "days_ago" days=ledger_days}}
when not matched then insert (activation, event_id, cursor, event_time, match_keys, status, run_id, sent_at, payload_sha256)
  values ({{param "activation"}}, w.event_id, w.cursor, w.event_time, w.match_keys, w.status, {{param "run_id"}}, current_timestamp(), w.payload_sha256)

{{!-- The events of one checkpoint into the ledger: `events` is a JSON array of objects with event_id,
     cursor, event_time, match_keys, status and payload_sha256 (one parameter, however many events). An
     event already there keeps its first record: the ledger is what was sent, and when.
     https://www.postgresql.org/docs/current/functions-json.html#FUNCTIONS-JSON-PROCESSING --}}
insert into {{ident schema "capi_sync_ledger"}} (activation, event_id, cursor, event_time, match_keys, status, run_id, sent_at, payload_sha256)
select {{param "activation"}}, e.event_id, e.cursor, e.event_time, e.match_keys, e.status, {{param "run_id"}}, current_timestamp, e.payload_sha256
from json_to_recordset(cast({{param "events"}} as json)) as e(event_id text, cursor text, event_time bigint, match_keys text, status text, payload_sha256 text)
on conflict (activation, event_id) do nothing

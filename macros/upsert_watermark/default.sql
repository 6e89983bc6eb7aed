{{!-- Parameters: activation, cursor, event_id. --}}
insert into {{ident schema "capi_sync_state"}} (activation, cursor, event_id, updated_at)
values (?, ?, ?, current_timestamp)
on conflict (activation) do update
set cursor = excluded.cursor, event_id = excluded.event_id, updated_at = excluded.updated_at

{{!-- Parameters: activation, cursor, event_id. https://docs.snowflake.com/en/sql-reference/sql/merge --}}
merge into {{ident schema "capi_sync_state"}} as s
using (select ? as activation, ? as cursor, ? as event_id) as w
on s.activation = w.activation
when matched then update set cursor = w.cursor, event_id = w.event_id, updated_at = current_timestamp()
when not matched then insert (activation, cursor, event_id, updated_at) values (w.activation, w.cursor, w.event_id, current_timestamp())

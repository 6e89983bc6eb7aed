{{!-- What was sent: one row per event Snap accepted, when and in which run; the SHA-256 of the JSON
     exactly as posted (compare it with the `_outbound` payload's). Read from the ledger, so deleting or
     changing source rows does not change it. --}}
{{macro "create_view" schema=schema view=view}} as
select event_id, cursor, event_time, match_keys, run_id, sent_at, payload_sha256
from {{ident schema "capi_sync_ledger"}}
where activation = {{literal activation}} and status = 'accepted'

{{!-- What is sent, exactly: one row per eligible event, payload being the JSON event posted to Snap. --}}
{{macro "create_view" schema=schema view=view}} as
select {{ident "event_id"}}, {{ident "cursor"}}, {{ident "payload"}}
from {{ident schema prepared}}
where {{ident "reason"}} is null

{{!-- Every row held back, with the first reason it failed (codes in the README). --}}
{{macro "create_view" schema=schema view=view}} as
select {{ident "event_id"}}, {{ident "cursor"}}, {{ident "event_time"}}, {{ident "reason"}}
from {{ident schema prepared}}
where {{ident "reason"}} is not null

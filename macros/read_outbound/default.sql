{{!-- The runner's one read per run: events past the watermark, in watermark order. Parameters when
     `after` is set: cursor, cursor, event_id (the cursor as text, compared in the column's own type). --}}
select o.{{ident "event_id"}} as event_id, {{macro "to_text" (concat "o." (ident "cursor"))}} as cursor, o.{{ident "payload"}} as payload
from {{ident schema view}} as o
{{#if after}}where o.{{ident "cursor"}} > ? or (o.{{ident "cursor"}} = ? and o.{{ident "event_id"}} > ?)
{{/if}}order by o.{{ident "cursor"}}, o.{{ident "event_id"}}

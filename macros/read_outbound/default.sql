{{!-- The runner's one read per run: events past the watermark, in watermark order. Parameters when
     `after` is set: see after_watermark. --}}
select v.{{ident "event_id"}} as event_id, {{macro "to_text" (concat "v." (ident "cursor"))}} as cursor, v.{{ident "payload"}} as payload
from {{ident schema view}} as v
{{#if after}}where {{macro "after_watermark" row="v"}}
{{/if}}order by v.{{ident "cursor"}}, v.{{ident "event_id"}}

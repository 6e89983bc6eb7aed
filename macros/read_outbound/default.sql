{{!-- The runner's one read per run: events past the watermark, in watermark order. Parameters when
     `after` is set: see after_watermark. With `reasons`, `view` is the prepared view (the outbound view
     is its rows whose reason is null): the held-back rows come too, with their reason and no payload, so
     the same read counts what is held back instead of a second pass over the source. --}}
select v.{{ident "event_id"}} as event_id, {{macro "cursor_text" (concat "v." (ident "cursor"))}} as cursor,
  {{#if reasons}}case when v.{{ident "reason"}} is null then v.{{ident "payload"}} end{{else}}v.{{ident "payload"}}{{/if}} as payload{{#if reasons}}, v.{{ident "reason"}} as reason{{/if}}
from {{ident schema view}} as v
{{#if after}}where {{macro "after_watermark" row="v"}}
{{/if}}order by v.{{ident "cursor"}}, v.{{ident "event_id"}}

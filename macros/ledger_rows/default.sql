{{!-- The activation's ledger rows that `capi-sync reset` removes so that their events are sent again: all
     of them, or with `after`, those of events the prepared view holds past the new watermark. `delete`
     removes them; otherwise they are counted. --}}
{{#if delete}}delete{{else}}select count(*) as n{{/if}} from {{ident schema "capi_sync_ledger"}} as l
where l.activation = {{param "activation"}}
{{#if after}}  and exists (select 1 from {{ident schema prepared}} as v where v.{{ident "event_id"}} = l.event_id and {{macro "after_watermark" row="v"}})
{{/if}}

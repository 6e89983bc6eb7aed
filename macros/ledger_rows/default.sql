{{!-- The activation's ledger rows that `capi-sync reset` removes so that their events are sent again: all
     of them, or with `after`, those of events the prepared view holds past the new watermark (compared in
     the cursor's type, `cursor_type`). `delete` removes them; otherwise they are counted. The ledger is
     not aliased: Snowflake's DELETE names its target table without an alias.
     https://docs.snowflake.com/en/sql-reference/sql/delete --}}
{{#if delete}}delete{{else}}select count(*) as n{{/if}} from {{ident schema "capi_sync_ledger"}}
where activation = {{param "activation"}}
{{#if after}}  and event_id in (select v.{{ident "event_id"}} from {{ident schema prepared}} as v where {{macro "after_watermark" row="v" cursor_type=cursor_type cursor_time=cursor_time cursor_bytes=cursor_bytes}})
{{/if}}

{{!-- As default.sql. https://docs.snowflake.com/en/sql-reference/sql/merge --}}
merge into {{ident schema "capi_sync_state"}} as s
using (select {{param "activation"}} as activation{{#each set}}, {{param this}} as {{this}}{{/each}}) as w
on s.activation = w.activation
when matched then update set {{#each set}}{{this}} = w.{{this}}, {{/each}}{{#each now}}{{this}} = current_timestamp(){{#unless @last}}, {{/unless}}{{/each}}
when not matched then insert (activation{{#each set}}, {{this}}{{/each}}{{#each now}}, {{this}}{{/each}}) values (w.activation{{#each set}}, w.{{this}}{{/each}}{{#each now}}, current_timestamp(){{/each}})

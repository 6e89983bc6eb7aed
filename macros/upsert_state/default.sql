{{!-- Sets columns of an activation's row of capi_sync_state, creating the row if needed: `set` are the
     columns given as parameters of the same names, `now` those set to the current time. --}}
insert into {{ident schema "capi_sync_state"}} (activation{{#each set}}, {{this}}{{/each}}{{#each now}}, {{this}}{{/each}})
values ({{param "activation"}}{{#each set}}, {{param this}}{{/each}}{{#each now}}, current_timestamp{{/each}})
on conflict (activation) do update
set {{#each set}}{{this}} = excluded.{{this}}, {{/each}}{{#each now}}{{this}} = excluded.{{this}}{{#unless @last}}, {{/unless}}{{/each}}

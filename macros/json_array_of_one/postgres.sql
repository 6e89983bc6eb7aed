{{!-- As default.sql, as JSON text like json_object (a hex value, a hash, is only quoted). --}}
case when {{value}} is not null then {{#if hex}}'["' || {{value}} || '"]'{{else}}'[' || to_json({{value}}) || ']'{{/if}} end

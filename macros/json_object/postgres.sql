{{!-- pairs: [{key, value, json}]; keys whose value is null are left out. The object's text is written
     directly: to_json writes a value as JSON (a string quoted and escaped, a number as it is), a null
     value makes its `"key":value` null, and concat_ws skips nulls. A value marked json is already JSON
     text (a nested object or array from these macros) and goes in as it is; a value marked hex (a hash)
     is only quoted: to_json would scan its 64 characters for nothing (5% of the view with seven hashes).
     Building jsonb instead, then stripping nulls and printing it, cost about a third of the whole view.
     https://www.postgresql.org/docs/current/functions-json.html --}}
('{' || concat_ws(','{{#each pairs}}, {{literal (concat '"' key '":')}} || {{#if json}}{{value}}{{else if hex}}'"' || {{value}} || '"'{{else}}to_json({{value}}){{/if}}{{/each}}) || '}')

{{!-- As default.sql, in jsonb: json_strip_nulls parses the text json_build_object wrote, jsonb_strip_nulls
     walks the binary value. Keys come out in jsonb's order (shorter first), which JSON leaves free.
     https://www.postgresql.org/docs/current/functions-json.html --}}
jsonb_strip_nulls(jsonb_build_object({{#each pairs}}{{literal key}}, {{value}}{{#unless @last}}, {{/unless}}{{/each}}))

{{!-- pairs: [{key, value}]; keys whose value is null are left out (json_strip_nulls, recursive). --}}
json_strip_nulls(json_build_object({{#each pairs}}{{literal key}}, {{value}}{{#unless @last}}, {{/unless}}{{/each}}))

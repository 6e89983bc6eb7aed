{{!-- Like json_object, but null instead of {} when every value is null (so the key is left out).
     'round' keeps a value that is not exact in a double, instead of failing the whole view. --}}
safe.parse_json(nullif(to_json_string({{macro "json_object" pairs=pairs}}), '{}'), wide_number_mode => 'round')

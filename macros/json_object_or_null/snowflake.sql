{{!-- Like json_object, but null instead of {} when every value is null (so the key is left out). --}}
try_parse_json(nullif(to_json({{macro "json_object" pairs=pairs}}), '{}'))

{{!-- Any value as text: a scalar as its JSON value, anything else (ARRAY, STRUCT, JSON) as JSON text; a
     cast would refuse JSON and arrays. --}}
case when {{value}} is not null then coalesce(json_value(to_json({{value}})), to_json_string({{value}})) end

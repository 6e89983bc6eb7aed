{{!-- Any value as text: a scalar as its JSON value, anything else (ARRAY, STRUCT, JSON) as JSON text; a
     cast would refuse JSON and arrays. A JSON null is not SQL NULL (`json 'null' is null` is false) and
     its JSON text is 'null': it is no value, as Postgres's to_jsonb(...) #>> '{}' says.
     https://cloud.google.com/bigquery/docs/reference/standard-sql/json_functions#json_value --}}
case when {{value}} is not null then coalesce(json_value(to_json({{value}})), nullif(to_json_string({{value}}), 'null')) end

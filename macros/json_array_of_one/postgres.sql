{{!-- As default.sql, as JSON text like json_object. --}}
case when {{value}} is not null then '[' || to_json({{value}}) || ']' end

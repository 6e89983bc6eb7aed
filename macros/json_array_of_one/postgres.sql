{{!-- As default.sql, in jsonb like json_object. --}}
case when {{value}} is not null then jsonb_build_array({{value}}) end

{{!-- As default.sql; json_object already gives text. --}}
nullif({{macro "json_object" pairs=pairs}}, '{}')

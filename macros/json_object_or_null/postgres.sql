{{!-- As default.sql, compared as jsonb instead of as text. --}}
nullif({{macro "json_object" pairs=pairs}}, '{}'::jsonb)

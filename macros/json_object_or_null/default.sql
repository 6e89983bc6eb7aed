{{!-- Like json_object, but null instead of {} when every value is null (so the key is left out). --}}
cast(nullif(cast({{macro "json_object" pairs=pairs}} as text), '{}') as json)

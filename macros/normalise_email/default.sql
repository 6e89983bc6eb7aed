{{!-- trim (as_text), lower-case; kept only when it looks like x@y.z and holds no space (space_chars: the
     same list on every dialect, where \s meant different things). --}}
case when translate({{value}}, {{macro "space_chars"}}, '') = {{value}} then substring(lower({{value}}) from '^[^@]+@[^@]+\.[^@.]+$') end

{{!-- trim (as_text), lower-case; kept only when it looks like x@y.z and holds no space (space_chars). --}}
case when translate({{value}}, {{macro "space_chars"}}, '') = {{value}} then regexp_extract(lower({{value}}), r'^[^@]+@[^@]+\.[^@.]+$') end

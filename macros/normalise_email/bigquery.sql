{{!-- trim, lower-case; kept only when it looks like x@y.z --}}
regexp_extract(lower({{value}}), r'^[^@\s]+@[^@\s]+\.[^@\s.]+$')

{{!-- trim, lower-case; kept only when it looks like x@y.z --}}
substring(lower({{value}}) from '^[^@\s]+@[^@\s]+\.[^@\s.]+$')

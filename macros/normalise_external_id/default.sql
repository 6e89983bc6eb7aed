{{!-- trim (done by as_text) and lower-case. --}}
lower({{value}})

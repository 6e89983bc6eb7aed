{{!-- lower-case, letters only; Unicode letters stay (José → josé, O'Brien → obrien, New York → newyork).
     NFC first: José exported as e + combining accent (NFD, as macOS writes it) would otherwise lose the
     accent, which is not a letter on its own, and hash as jose. Needs a UTF-8 database, whose locale
     decides what [:alpha:] and lower() know (C.UTF-8 and en_US.UTF-8 know every script).
     https://www.postgresql.org/docs/current/functions-string.html (normalize) --}}
nullif(lower(regexp_replace(normalize({{value}}, NFC), '[^[:alpha:]]', '', 'g')), '')

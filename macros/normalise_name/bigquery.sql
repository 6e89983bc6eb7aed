{{!-- lower-case, letters only; Unicode letters stay (José → josé, O'Brien → obrien, New York → newyork).
     NFC first, as on Postgres: José written as e + combining accent would otherwise lose the accent. --}}
nullif(lower({{macro "letters_only" (concat "normalize(" value ", NFC)")}}), '')

{{!-- lower-case, letters only; Unicode letters stay (José → josé, O'Brien → obrien, New York → newyork).
     Snowflake has no Unicode normalisation function: a name written decomposed (e + combining accent,
     as macOS exports do) keeps its combining accent here, where Postgres composes it first (NFC). --}}
nullif(lower({{macro "letters_only" value}}), '')

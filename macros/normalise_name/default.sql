{{!-- lower-case, letters only; Unicode letters stay (José → josé, O'Brien → obrien, New York → newyork). --}}
nullif(lower(regexp_replace({{value}}, '[^[:alpha:]]', '', 'g')), '')

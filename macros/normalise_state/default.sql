{{!-- lower-case letters, kept only when exactly two (CA, ny). --}}
substring(lower(regexp_replace({{value}}, '[^[:alpha:]]', '', 'g')) from '^[[:alpha:]]{2}$')

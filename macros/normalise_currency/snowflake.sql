{{!-- ISO-4217: upper-case, three letters. --}}
regexp_substr(upper({{value}}), '^[A-Z]{3}$')

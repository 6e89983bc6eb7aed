{{!-- ISO-4217: upper-case, three letters. --}}
regexp_extract(upper({{value}}), r'^[A-Z]{3}$')

{{!-- ISO-4217: upper-case, three letters. --}}
substring(upper({{value}}) from '^[A-Z]{3}$')

{{!-- ISO-3166-1 alpha-2, lower-case; anything else is left out. --}}
substring(lower({{value}}) from '^[a-z]{2}$')

{{!-- Mobile ad id: lower-case, hyphens kept, not hashed. --}}
lower({{value}})

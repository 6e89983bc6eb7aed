{{!-- Mobile ad id: lower-case, hyphens kept, not hashed. The all-zero id is what iOS and Android hand
     out when the user opted out of tracking: it identifies no one, so it is left out. --}}
nullif(lower({{value}}), '00000000-0000-0000-0000-000000000000')

{{!-- Any column as trimmed text; empty and whitespace-only values become null. --}}
nullif(btrim(cast({{value}} as text), E' \t\r\n\u00a0'), '')

{{!-- Any column as trimmed text; empty and whitespace-only values become null.
     to_jsonb, not a cast: a cast of a date or timestamp follows the session's DateStyle ('SQL, DMY'
     writes 28/11/2026), while JSON always writes ISO 8601 with the offset; arrays come out as JSON
     arrays. The trim covers the Unicode spaces exports leave behind (no-break, zero-width, BOM).
     https://www.postgresql.org/docs/current/datatype-json.html#JSON-TYPE-MAPPING-TABLE --}}
nullif(btrim(to_jsonb({{value}}) #>> '{}', E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '')

{{!-- Any column as trimmed text; empty and whitespace-only values become null. The trim covers the
     Unicode spaces exports leave behind (no-break, zero-width, BOM).
     A text or varchar column is taken as it is. Any other type goes through to_jsonb, not a cast: a cast
     of a date or timestamp follows the session's DateStyle ('SQL, DMY' writes 28/11/2026), while JSON
     always writes ISO 8601 with the offset; arrays come out as JSON arrays.
     to_jsonb fails, and the whole view with it, on what a json value (or an array, domain or row type
     holding one) may hold and jsonb may not. \u0000 or half of a UTF-16 surrogate pair is no text: the
     value is left out, as any unreadable value is. A number past numeric's range (a 5-digit exponent or
     a run of 255 digits is taken for one) stays the text it is written as, which no field reads as a
     number. The usual types, which cannot hold either, skip those tests; each pattern runs behind a
     cheap test (one pattern of all three took ~50 µs a value, these ~2 µs).
     https://www.postgresql.org/docs/current/datatype-json.html#JSON-TYPE-MAPPING-TABLE --}}
{{#*inline "raw"}}cast({{value}} as text){{/inline}}
nullif(btrim(case
  when pg_typeof({{value}}) in ('text'::regtype, 'character varying'::regtype) then {{> raw}}
  when pg_typeof({{value}}) = any ('{timestamptz,timestamp,date,numeric,int8,int4,int2,float8,float4,bool,jsonb,bpchar,uuid,text[]}'::regtype[])
    then to_jsonb({{value}}) #>> '{}'
  when strpos({{> raw}}, '\u') > 0
    and {{> raw}} ~ '\\u0000|\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F]' then null
  when {{> raw}} ~ '[0-9][eE][+-]?[0-9]{5}' then {{> raw}}
  when octet_length({{> raw}}) >= 255 and {{> raw}} ~ '[0-9]{255}' then {{> raw}}
  else to_jsonb({{value}}) #>> '{}'
end, E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '')

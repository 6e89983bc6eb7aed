{{!-- Any column as trimmed text, as Postgres's to_jsonb(...) #>> '{}': a scalar as its JSON value
     (TIMESTAMP as 2024-05-01T12:00:00.123456Z, DATE as 2024-05-01), an ARRAY or STRUCT as JSON text.
     Empty and whitespace-only values (with the Unicode spaces exports leave behind) become null.
     https://cloud.google.com/bigquery/docs/reference/standard-sql/json_functions#json_encodings --}}
nullif(trim({{macro "to_text" value}}, ' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '')

{{!-- Any column as trimmed text (the Unicode spaces exports leave behind are trimmed too, as on
     Postgres); empty and whitespace-only values become null. An ARRAY, OBJECT or VARIANT becomes its
     JSON text. Timestamps are written in the session's TIMESTAMP_*_OUTPUT_FORMAT (by default
     YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM), which epoch_seconds reads.
     The collation is dropped here, where text enters the view: a column with one (COLLATE 'en-ci', or
     a DEFAULT_DDL_COLLATION) keeps it through casts and functions, and before the 2026_04 behaviour
     change bundle REGEXP_* functions raise an error on collated text. An empty specification is no
     collation: the values compare by their code points, as the rest of the view expects.
     https://docs.snowflake.com/en/sql-reference/collation (limitations)
     https://docs.snowflake.com/en/sql-reference/functions/collate
     https://docs.snowflake.com/en/sql-reference/data-types-text#escape-sequences-in-single-quoted-string-constants --}}
nullif(trim(collate(cast({{value}} as varchar), ''), ' \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'), '')

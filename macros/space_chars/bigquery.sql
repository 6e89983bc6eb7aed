{{!-- As default.sql: every character counted as a space, as one string literal.
     https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#string_and_bytes_literals --}}
' \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'

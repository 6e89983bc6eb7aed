{{!-- Every character capi-sync counts as a space, as one string literal: Unicode's White_Space (tab, line
     breaks, no-break, thin U+2009, ideographic U+3000 …) plus the zero-width space and the BOM that
     exports leave behind; the same list as_text trims, the same on every dialect. For translate.
     https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-STRINGS-ESCAPE --}}
E' \t\r\n\x0b\x0c\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff'

{{!-- As default.sql, in one regexp_replace: the US and UK patterns are the same, and what either keeps
     is its capture group (a group that took no part answers ''); anything else stays whole. default.sql
     computes the compact form up to four times and runs up to four patterns. --}}
nullif(regexp_replace(lower(regexp_replace({{value}}, '[\s-]', '', 'g')), '^([0-9]{5})(?:[0-9]{4})?$|^([a-z]{1,2}[0-9][a-z0-9]?[0-9])[a-z]{2}$', '\1\2'), '')

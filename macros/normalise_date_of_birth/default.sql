{{!-- YYYYMMDD from a date or a YYYY-MM-DD / YYYY/MM/DD / YYYYMMDD text (a time part is ignored). --}}
substring(regexp_replace(substr({{value}}, 1, 10), '[-/.]', '', 'g') from '^(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$')

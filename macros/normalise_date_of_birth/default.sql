{{!-- YYYYMMDD from a date or a YYYY-MM-DD / YYYY/MM/DD / YYYYMMDD text (a time part is ignored).
     17/05/1990 is left out: day-first or month-first cannot be told apart. The calendar check keeps a
     1990-02-30 typo from being hashed as if it were a birthday. The groups are (?:...): substring(...
     from ...) answers the first capturing group instead of the whole match when there is one. --}}
{{#*inline "ymd"}}substring(regexp_replace(substr({{value}}, 1, 10), '[-/.]', '', 'g') from '^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$'){{/inline}}
case
  when cast(substr({{> ymd}}, 7, 2) as integer)
    <= extract(day from make_date(cast(substr({{> ymd}}, 1, 4) as integer), cast(substr({{> ymd}}, 5, 2) as integer), 1) + interval '1 month - 1 day')
  then {{> ymd}}
end

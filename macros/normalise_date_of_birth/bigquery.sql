{{!-- YYYYMMDD from a date or a YYYY-MM-DD / YYYY/MM/DD / YYYYMMDD text (a time part is ignored); a day
     the month does not have (1990-02-30) is left out. Groups are non-capturing: regexp_extract would
     return a capturing group instead of the match. --}}
{{#*inline "ymd"}}regexp_extract(regexp_replace(substr({{value}}, 1, 10), r'[-/.]', ''), r'^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$'){{/inline}}
case
  when safe_cast(substr({{> ymd}}, 7, 2) as int64)
    <= extract(day from last_day(safe.date(safe_cast(substr({{> ymd}}, 1, 4) as int64), safe_cast(substr({{> ymd}}, 5, 2) as int64), 1)))
  then {{> ymd}}
end

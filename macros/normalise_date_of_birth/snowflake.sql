{{!-- YYYYMMDD from a date or a YYYY-MM-DD / YYYY/MM/DD / YYYYMMDD text (a time part is ignored); a day
     the month does not have (1990-02-30) is left out. regexp_substr returns the whole match. --}}
{{#*inline "ymd"}}regexp_substr(regexp_replace(substr({{value}}, 1, 10), '[-/.]', ''), '^(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$'){{/inline}}
case
  when try_cast(substr({{> ymd}}, 7, 2) as integer)
    <= day(last_day(date_from_parts(try_cast(substr({{> ymd}}, 1, 4) as integer), try_cast(substr({{> ymd}}, 5, 2) as integer), 1)))
  then {{> ymd}}
end

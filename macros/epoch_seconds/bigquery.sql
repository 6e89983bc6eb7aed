{{!-- Integer Unix seconds from the text of a timestamp, date or epoch number (≥ 1e12 is milliseconds;
     ≥ 1e15 is no unit we can tell), as on Postgres: the same patterns decide, and the date, time and
     offset are read from their digits. A time without an offset is UTC. Years 0001-99999: the date is
     moved into 2000-2399 by whole 400-year Gregorian cycles (146097 days each), as DATE stops at 9999.
     Text over 100 characters is no time, as on Postgres. Anything unreadable is null, never an error
     (safe casts; CASE evaluates in order).
     https://cloud.google.com/bigquery/docs/reference/standard-sql/conditional_expressions --}}
{{#*inline "n"}}safe_cast({{value}} as bignumeric){{/inline}}
{{#*inline "part"}}safe_cast(regexp_extract({{value}}, r'{{pattern}}') as int64){{/inline}}
{{#*inline "year"}}{{> part pattern="^([0-9]+)-"}}{{/inline}}
{{#*inline "month"}}{{> part pattern="^[0-9]+-([0-9]{2})"}}{{/inline}}
{{#*inline "day"}}{{> part pattern="^[0-9]+-[0-9]{2}-([0-9]{2})"}}{{/inline}}
{{#*inline "offset"}}replace(regexp_extract(regexp_extract({{value}}, r'^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$'), r'(Z|UTC|GMT|[+-][0-9:]+)$'), ':', ''){{/inline}}
{{#*inline "offset_part"}}coalesce(safe_cast(nullif(substr({{> offset}}, {{from}}, 2), '') as int64), 0){{/inline}}
case
  when length({{value}}) > 100 then null
  when regexp_contains({{value}}, r'^[+-]?[0-9]{1,16}(\.[0-9]*)?([eE][+-]?[0-9]{1,2})?$') then
    case
      when abs({{> n}}) >= 1000000000000000 then null
      when abs({{> n}}) >= 1000000000000 then cast(floor({{> n}} / 1000) as int64)
      else cast(floor({{> n}}) as int64)
    end
  when regexp_contains({{value}}, r'^([0-9]{4}|[1-9][0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?( ?(Z|UTC|GMT|[+-](0[0-9]|1[0-5])(:?[0-5][0-9]){0,2}))?| ?(Z|UTC|GMT))?$')
    and not starts_with({{value}}, '0000') then
    case
      when {{> day}} > extract(day from last_day(safe.date(2000 + mod({{> year}}, 400), {{> month}}, 1))) then null
      else (date_diff(safe.date(2000 + mod({{> year}}, 400), {{> month}}, {{> day}}), date '1970-01-01', day) + (div({{> year}}, 400) - 5) * 146097) * 86400
        + coalesce({{> part pattern="^[0-9]+-[0-9]{2}-[0-9]{2}[ T]([0-9]{2}):"}}, 0) * 3600
        + coalesce({{> part pattern="^[0-9]+-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:([0-9]{2})"}}, 0) * 60
        + coalesce({{> part pattern="^[0-9]+-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:([0-9]{2})"}}, 0)
        - case when starts_with({{> offset}}, '+') or starts_with({{> offset}}, '-') then
            if(starts_with({{> offset}}, '-'), -1, 1) * ({{> offset_part from=2}} * 3600 + {{> offset_part from=4}} * 60 + {{> offset_part from=6}})
          else 0 end
    end
end

{{!-- Integer Unix seconds from the text of a timestamp, date or epoch number (≥ 1e12 is milliseconds;
     ≥ 1e15 is no unit we can tell), as on Postgres: the same patterns decide, and the date, time and
     offset are read from their digits, so TIMESTAMP_INPUT_FORMAT and TIMEZONE play no part. A time
     without an offset is UTC. Years 0001-99999: the date is moved into 2000-2399 by whole 400-year
     Gregorian cycles (146097 days each). Text over 100 characters is no time, as on Postgres. Anything
     unreadable is null, never an error (try_cast).
     regexp_like matches the whole value; regexp_substr(..., 'e', 1) returns the first group. --}}
{{#*inline "n"}}try_cast({{value}} as number(38, 12)){{/inline}}
{{#*inline "part"}}try_cast(regexp_substr({{value}}, '{{pattern}}', 1, 1, 'e', 1) as integer){{/inline}}
{{#*inline "year"}}{{> part pattern="^([0-9]+)-"}}{{/inline}}
{{#*inline "month"}}{{> part pattern="^[0-9]+-([0-9]{2})"}}{{/inline}}
{{#*inline "day"}}{{> part pattern="^[0-9]+-[0-9]{2}-([0-9]{2})"}}{{/inline}}
{{#*inline "offset"}}replace(regexp_substr(regexp_substr({{value}}, '^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$', 1, 1, 'es', 1), '(Z|UTC|GMT|[+-][0-9:]+)$'), ':', ''){{/inline}}
{{#*inline "offset_part"}}coalesce(try_cast(substr({{> offset}}, {{from}}, 2) as integer), 0){{/inline}}
case
  when length({{value}}) > 100 then null
  when regexp_like({{value}}, '[+-]?[0-9]{1,16}([.][0-9]*)?([eE][+-]?[0-9]{1,2})?') then
    case
      when abs({{> n}}) >= 1e15 then null
      when abs({{> n}}) >= 1e12 then cast(floor({{> n}} / 1000) as integer)
      else cast(floor({{> n}}) as integer)
    end
  when regexp_like({{value}}, '([0-9]{4}|[1-9][0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,9})?)?( ?(Z|UTC|GMT|[+-](0[0-9]|1[0-5])(:?[0-5][0-9]){0,2}))?| ?(Z|UTC|GMT))?')
    and not startswith({{value}}, '0000') then
    case
      when {{> day}} > day(last_day(date_from_parts(2000 + mod({{> year}}, 400), {{> month}}, 1))) then null
      else (datediff(day, date_from_parts(1970, 1, 1), date_from_parts(2000 + mod({{> year}}, 400), {{> month}}, {{> day}})) + (floor({{> year}} / 400) - 5) * 146097) * 86400
        + coalesce({{> part pattern="^[0-9]+-[0-9]{2}-[0-9]{2}[ T]([0-9]{2}):"}}, 0) * 3600
        + coalesce({{> part pattern="^[0-9]+-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:([0-9]{2})"}}, 0) * 60
        + coalesce({{> part pattern="^[0-9]+-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:([0-9]{2})"}}, 0)
        - case when startswith({{> offset}}, '+') or startswith({{> offset}}, '-') then
            iff(startswith({{> offset}}, '-'), -1, 1) * ({{> offset_part from=2}} * 3600 + {{> offset_part from=4}} * 60 + {{> offset_part from=6}})
          else 0 end
    end
end

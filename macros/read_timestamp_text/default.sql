{{!-- Integer Unix seconds from the text of a timestamp, timestamptz, date or epoch number (≥ 1e12 is
     milliseconds; ≥ 1e15 is no unit we can tell). A time written without an offset is UTC whatever the
     session's TimeZone: it is read as a timestamp, whose epoch is nominal. Years 0001-99999 are read
     (0001-01-01, a common "unknown" placeholder, shows as event_too_old rather than as no time).
     Anything unreadable is null, never an error: one bad row must not break the view, so each cast
     sits behind a CASE guard (only CASE promises the order; AND does not). Text over 100 characters is
     no time: an epoch number with more decimals than numeric holds (16383) would fail the cast.
     https://www.postgresql.org/docs/current/functions-datetime.html#FUNCTIONS-DATETIME-EXTRACT --}}
{{#*inline "day"}}cast(substring({{value}} from '^[0-9]+-[0-9]{2}-([0-9]{2})') as integer){{/inline}}
{{#*inline "month_days"}}extract(day from make_date(cast(substring({{value}} from '^([0-9]+)-') as integer), cast(substring({{value}} from '^[0-9]+-([0-9]{2})') as integer), 1) + interval '1 month - 1 day'){{/inline}}
case
  when length({{value}}) > 100 then null
  when {{value}} ~ '^[+-]?[0-9]{1,16}(\.[0-9]*)?([eE][+-]?[0-9]{1,2})?$' then
    case
      when abs(cast({{value}} as numeric)) >= 1e15 then null
      when abs(cast({{value}} as numeric)) >= 1e12 then cast(floor(cast({{value}} as numeric) / 1000) as bigint)
      else cast(floor(cast({{value}} as numeric)) as bigint)
    end
  when {{value}} ~ '^(?!0000)([0-9]{4}|[1-9][0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?( ?(Z|UTC|GMT|[+-](0[0-9]|1[0-5])(:?[0-5][0-9]){0,2}))?| ?(Z|UTC|GMT))?$' then
    case
      when {{> day}} > {{> month_days}} then null
      when substring({{value}} from '^[0-9]+-[0-9]{2}-[0-9]{2}(.*)$') ~ '(Z|UTC|GMT|[+-][0-9:]+)$'
        then cast(floor(extract(epoch from cast({{value}} as timestamptz))) as bigint)
      else cast(floor(extract(epoch from cast({{value}} as timestamp))) as bigint)
    end
end

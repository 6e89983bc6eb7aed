{{!-- read_timestamp_text's reading, with two fast paths in front.
     `source`, when given, is the mapped column itself: for a timestamptz, timestamp or date column the
     text from as_text is that type's own ISO output, so it is cast straight back (under a microsecond
     a row instead of about nine) when its year has four digits: BC dates, infinities and years past 9999
     take the general reading below (a date column holds years up to 5874897, which no cast to timestamp
     takes, and 0001-99999 are read the same on every warehouse).
     Otherwise, LIKE pins the shapes timestamp, timestamptz and date columns come out of as_text as
     (2026-11-25T18:36:44.095613+00:00, 2026-11-25 18:36:44, 2026-11-25):
     Postgres's regex engine builds its automaton on every call, so each of default.sql's patterns costs
     1-3 µs a row. Here LIKE pins the separators, one loose pattern the digits, and the ranges are
     compared as two-digit text (collate "C": byte order, which for digits is numeric order); what it
     accepts is a subset of read_timestamp_text's date pattern, so it reads the same. Anything else goes
     on to read_timestamp_text.
     https://www.postgresql.org/docs/current/functions-matching.html#POSIX-MATCHING-RULES --}}
{{#*inline "two"}}substr({{value}}, {{at}}, 2) collate "C"{{/inline}}
{{#*inline "year"}}cast(substr({{value}}, 1, 4) as integer){{/inline}}
{{#*inline "days_in_month"}}case {{> two at=6}} when '02' then case when {{> year}} % 4 = 0 and ({{> year}} % 100 <> 0 or {{> year}} % 400 = 0) then '29' else '28' end when '04' then '30' when '06' then '30' when '09' then '30' when '11' then '30' else '31' end{{/inline}}
case
{{#if source}}
  when pg_typeof({{source}}) = 'timestamp with time zone'::regtype and substr({{value}}, 5, 1) = '-' and {{value}} not like '%BC'
    then cast(floor(extract(epoch from cast({{value}} as timestamptz))) as bigint)
  when pg_typeof({{source}}) in ('timestamp without time zone'::regtype, 'date'::regtype) and substr({{value}}, 5, 1) = '-' and {{value}} not like '%BC'
    then cast(floor(extract(epoch from cast({{value}} as timestamp))) as bigint)
{{/if}}
  when ({{value}} like '____-__-__' or {{value}} like '____-__-__T__:__:__%' or {{value}} like '____-__-__ __:__:__%')
    and {{value}} ~ '^[0-9]+-[0-9]+-[0-9]+([ T][0-9]+:[0-9]+:[0-9]+(\.[0-9]{1,9})?(Z|[+-][0-9][0-9]:[0-9][0-9])?)?$'
    and substr({{value}}, 1, 4) <> '0000' and {{> two at=6}} between '01' and '12' and {{> two at=9}} >= '01'
    and {{> two at=12}} <= '23' and {{> two at=15}} <= '59' and {{> two at=18}} <= '59'
    and (substr({{value}}, length({{value}}) - 5, 1) not in ('+', '-') or length({{value}}) = 10
      or ({{> two at=(concat "length(" value ") - 4")}} <= '15' and right({{value}}, 2) collate "C" <= '59'))
  then
    case
      when {{> two at=9}} > {{> days_in_month}} then null
      when length({{value}}) = 10 then cast(floor(extract(epoch from cast({{value}} as timestamp))) as bigint)
      when right({{value}}, 1) = 'Z' or substr({{value}}, length({{value}}) - 5, 1) in ('+', '-')
        then cast(floor(extract(epoch from cast({{value}} as timestamptz))) as bigint)
      else cast(floor(extract(epoch from cast({{value}} as timestamp))) as bigint)
    end
  else {{macro "read_timestamp_text" value}}
end

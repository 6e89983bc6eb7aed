{{!-- Integer Unix seconds from the text of a timestamp, timestamptz, date or epoch number (≥ 1e12 is
     milliseconds). A time without an offset is UTC. Anything unparseable is null, never an error:
     the guards run before each cast because one bad row must not break the view. --}}
case
  when {{value}} ~ '^[+-]?[0-9]{1,16}(\.[0-9]*)?([eE][+-]?[0-9]{1,2})?$' then
    case
      when abs(cast({{value}} as numeric)) >= 1e15 then null
      when abs(cast({{value}} as numeric)) >= 1e12 then cast(floor(cast({{value}} as numeric) / 1000) as bigint)
      else cast(floor(cast({{value}} as numeric)) as bigint)
    end
  when {{value}} ~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?)? ?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?$' then
    case
      when cast(substr({{value}}, 9, 2) as integer) > extract(day from make_date(cast(substr({{value}}, 1, 4) as integer), cast(substr({{value}}, 6, 2) as integer), 1) + interval '1 month - 1 day') then null
      when length({{value}}) = 10 then cast(floor(extract(epoch from cast({{value}} || ' 00:00:00+00' as timestamptz))) as bigint)
      when substr({{value}}, 11) ~ '(Z|[+-][0-9:]+)$' then cast(floor(extract(epoch from cast({{value}} as timestamptz))) as bigint)
      else cast(floor(extract(epoch from cast({{value}} || '+00' as timestamptz))) as bigint)
    end
end

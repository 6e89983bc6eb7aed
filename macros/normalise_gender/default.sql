{{!-- m or f from m, male, f, female in any case; anything else is left out. --}}
case lower({{value}}) when 'm' then 'm' when 'male' then 'm' when 'f' then 'f' when 'female' then 'f' end

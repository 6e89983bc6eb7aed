{{!-- true from true, t, 1, yes; false from false, f, 0, no (any case); anything else is left out. Plain
     CASE, the same on every dialect (Snap's schema types advertiser_tracking_enabled as a boolean). --}}
case lower({{value}}) when 'true' then true when 't' then true when '1' then true when 'yes' then true
  when 'false' then false when 'f' then false when '0' then false when 'no' then false end

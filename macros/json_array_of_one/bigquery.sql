{{!-- [value], or null when value is null (Snap's em and ph are arrays). --}}
case when {{value}} is not null then json_array({{value}}) end

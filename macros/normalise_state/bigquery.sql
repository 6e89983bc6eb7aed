{{!-- As default.sql: a US or Canadian name or code → its code, any other two letters as they are, else
     left out. regexp_extract answers the whole match (the pattern has no group). --}}
{{#*inline "key"}}lower({{macro "letters_only" value}}){{/inline}}
case {{> key}}{{#each codes}} when '{{key}}' then '{{code}}'{{/each}} else regexp_extract({{> key}}, r'^..$') end

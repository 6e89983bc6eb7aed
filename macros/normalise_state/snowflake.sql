{{!-- As default.sql: a US or Canadian name or code → its code, any other two letters as they are, else
     left out. regexp_substr answers the whole match. --}}
{{#*inline "key"}}lower({{macro "letters_only" value}}){{/inline}}
case {{> key}}{{#each codes}} when '{{key}}' then '{{code}}'{{/each}} else regexp_substr({{> key}}, '^..$') end

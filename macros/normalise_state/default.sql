{{!-- A US state or territory or a Canadian province as its 2-letter code, from the code or the name
     (California, n.y., Québec → ca, ny, qc; codes: places.ts, the same pairs on every dialect); any other
     value that is two letters once letters_only has run stays (SP); anything else is left out, never
     hashed as free text. --}}
{{#*inline "key"}}lower({{macro "letters_only" value}}){{/inline}}
case {{> key}}{{#each codes}} when '{{key}}' then '{{code}}'{{/each}} else substring({{> key}} from '^..$') end

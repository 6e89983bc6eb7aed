{{!-- Snap's upper-case names from any case, with spaces or dashes as underscores; unknown → null.
     regexp_replace replaces every match by default. --}}
case upper(regexp_replace({{value}}, '([[:space:]]|-)+', '_'))
{{#each names}}  when '{{this}}' then '{{this}}'
{{/each}}end

{{!-- Snap's upper-case names from any case, with spaces or dashes as underscores; unknown → null. --}}
case upper(regexp_replace({{value}}, r'[\s-]+', '_'))
{{#each names}}  when '{{this}}' then '{{this}}'
{{/each}}end

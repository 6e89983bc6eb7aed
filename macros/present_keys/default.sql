{{!-- The keys of `pairs` whose value is not null, comma-separated (em,ph,fn): which identifiers an event
     carries, for the report's match-key coverage. concat_ws skips nulls. --}}
concat_ws(','{{#each pairs}}, case when {{value}} is not null then '{{key}}' end{{/each}})

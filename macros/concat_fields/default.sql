{{!-- values: text expressions, joined with a separator; null is written \N so that null ≠ ''. --}}
concat_ws(chr(31){{#each values}}, coalesce({{this}}, '\N'){{/each}})

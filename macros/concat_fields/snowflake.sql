{{!-- values: text expressions, joined with a separator; null is written \N so that null ≠ ''. In a
     Snowflake string '\\N' is the two characters \N, as '\N' is in Postgres. --}}
concat_ws(chr(31){{#each values}}, coalesce({{this}}, '\\N'){{/each}})

{{!-- pairs: [{key, value}]; object_construct leaves out keys whose value is SQL null (as json_strip_nulls
     does on Postgres). https://docs.snowflake.com/en/sql-reference/functions/object_construct --}}
object_construct({{#each pairs}}{{literal key}}, {{value}}{{#unless @last}}, {{/unless}}{{/each}})

{{!-- The keys of `pairs` whose value is not null, comma-separated (em,ph,fn). ARRAY_TO_STRING leaves
     out NULL elements. https://cloud.google.com/bigquery/docs/reference/standard-sql/array_functions#array_to_string --}}
array_to_string([{{#each pairs}}{{#unless @first}}, {{/unless}}if({{value}} is not null, '{{key}}', null){{/each}}], ',')

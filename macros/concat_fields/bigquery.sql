{{!-- values: text expressions, joined with a separator; null is written \N so that null ≠ ''.
     BigQuery has no concat_ws. --}}
array_to_string([{{#each values}}coalesce({{this}}, r'\N'){{#unless @last}}, {{/unless}}{{/each}}], code_points_to_string([31]))

{{!-- As default.sql. BigQuery does not coerce a STRING parameter to a number (only to a date or a time), and
     a STRING cursor must stay text: the value is cast to the cursor's own type, so it compares as the
     read's `order by` sorts (a STRING '10' before '9'). A cast of a parameter is a constant expression:
     `cursor >= cast(? as TIMESTAMP)` prunes partitions and clusters of a source partitioned by the cursor.
     https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_rules
     https://cloud.google.com/bigquery/docs/querying-partitioned-tables --}}
{{#if type}}cast({{param name}} as {{type}}){{else}}{{param name}}{{/if}}

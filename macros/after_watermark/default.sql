{{!-- Rows of the view aliased `row` that come after the watermark (watermark_cursor, watermark_event_id):
     the cursor compared in its own type (`cursor_type`, see cursor_param), the event_id, and a text cursor
     (`cursor_bytes`), byte by byte (see bytewise), as the runner orders places. The first condition is implied by the rest; it is there because it names the cursor alone, so the
     database can take it down to the source table's scan (an index on the cursor column on Postgres,
     partitions and clusters on BigQuery, micro-partitions on Snowflake) instead of computing every row
     first. --}}
{{#*inline "mark"}}{{macro "cursor_param" name="watermark_cursor" type=cursor_type time=cursor_time}}{{/inline}}
{{#*inline "cursor"}}{{#if cursor_bytes}}{{macro "bytewise" (concat row "." (ident "cursor"))}}{{else}}{{row}}.{{ident "cursor"}}{{/if}}{{/inline}}
({{> cursor}} >= {{> mark}} and ({{> cursor}} > {{> mark}} or {{macro "bytewise" (concat row "." (ident "event_id"))}} > {{param "watermark_event_id"}}))

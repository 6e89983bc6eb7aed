{{!-- Rows of the view aliased `row` that come after the watermark (watermark_cursor, watermark_event_id),
     both as text that the database reads as the cursor column's type. The first condition is implied by
     the rest; it is there because it names the cursor alone, so the database can take it down to the
     source table's scan (and an index on the cursor column) instead of computing every row first. --}}
({{row}}.{{ident "cursor"}} >= {{param "watermark_cursor"}} and ({{row}}.{{ident "cursor"}} > {{param "watermark_cursor"}} or {{row}}.{{ident "event_id"}} > {{param "watermark_event_id"}}))

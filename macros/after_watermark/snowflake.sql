{{!-- Rows of the view aliased `row` that come after the watermark. Parameters: cursor, cursor, event_id
     as text: Snowflake casts a text to the cursor column's type when it compares them. --}}
({{row}}.{{ident "cursor"}} > ? or ({{row}}.{{ident "cursor"}} = ? and {{row}}.{{ident "event_id"}} > ?))

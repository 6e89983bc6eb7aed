{{!-- Rows of the view aliased `row` that come after the watermark (watermark_cursor, watermark_event_id),
     both STRING. BigQuery does
     not coerce a STRING parameter to INT64 or NUMERIC (the default cursor, event_time, is INT64) and
     cannot cast to "the column's type", so the cursor is compared as a number when both sides read as
     one, else as a timestamp (TIMESTAMP, DATETIME, DATE), else as text; the view's own order agrees.
     https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_rules --}}
{{#*inline "text"}}{{macro "to_text" (concat row "." (ident "cursor"))}}{{/inline}}
{{#*inline "number"}}safe_cast({{> text}} as bignumeric){{/inline}}
{{#*inline "time"}}safe_cast({{> text}} as timestamp){{/inline}}
{{#*inline "later"}}{{row}}.{{ident "event_id"}} > w.event_id{{/inline}}
exists (
  select 1
  from (select {{param "watermark_cursor"}} as cursor, {{param "watermark_event_id"}} as event_id) as w
  where case
    when {{> number}} is not null and safe_cast(w.cursor as bignumeric) is not null
      then {{> number}} > safe_cast(w.cursor as bignumeric) or ({{> number}} = safe_cast(w.cursor as bignumeric) and {{> later}})
    when {{> time}} is not null and safe_cast(w.cursor as timestamp) is not null
      then {{> time}} > safe_cast(w.cursor as timestamp) or ({{> time}} = safe_cast(w.cursor as timestamp) and {{> later}})
    else {{> text}} > w.cursor or ({{> text}} = w.cursor and {{> later}})
  end
)

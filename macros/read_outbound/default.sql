{{!-- The runner's one read per run: the prepared view's rows from the watermark on (from `scan_start`,
     the watermark less the look-back, when `lookback` is set), but for the events the ledger holds (sent
     or refused before). In no order: rows leave as the warehouse computes them, so sending overlaps the
     computing whether or not the cursor is indexed (a sort would hold every row back until the last is
     computed); the ledger, not the order, keeps events from being sent twice, and the runner moves the
     watermark to the greatest place it read once the read is over. `parts`/`part`: the share of the rows
     one of several connections reads (see cursor_bucket). Both filters are plain comparisons of the view's `cursor` (the
     source's cursor column, passed through unchanged) with a constant of its type (cursor_param), so the
     database prunes the source's scan to the rows past it. The anti-join only looks at the ledger's last
     `ledger_days` (sent_at, the ledger's partitioning column on BigQuery): an event sent before that is too
     old to be sent again anyway.
     `reasons`: the rows held back come too, with their reason and no payload, so the same read counts
     them. `past` is 1 for a row after the saved watermark, 0 for one read again within the look-back
     (sent if it is new, but not counted again when held back). `count`: how many events are to send. --}}
{{#*inline "after"}}{{macro "after_watermark" row="v" cursor_type=cursor_type cursor_time=cursor_time cursor_bytes=cursor_bytes}}{{/inline}}
select
{{#if count}}
  count(*) as n
{{else}}
  v.{{ident "event_id"}} as event_id,
  {{macro "cursor_text" (concat "v." (ident "cursor"))}} as cursor,
  {{#if reasons}}case when v.{{ident "reason"}} is null then v.{{ident "payload"}} end{{else}}v.{{ident "payload"}}{{/if}} as payload,
  v.{{ident "reason"}} as reason,
  v.{{ident "event_time"}} as event_time,
  v.{{ident "match_keys"}} as match_keys,
  {{#if watermark}}case when {{> after}} then 1 else 0 end{{else}}1{{/if}} as past
{{/if}}
from {{ident schema view}} as v
where {{#if watermark}}{{#if lookback}}v.{{ident "cursor"}} >= {{macro "cursor_param" name="scan_start" type=cursor_type time=cursor_time}}{{else}}{{> after}}{{/if}}{{else}}1 = 1{{/if}}
{{#unless reasons}}  and v.{{ident "reason"}} is null
{{/unless}}{{#if parts}}  and {{macro "cursor_bucket" (concat "v." (ident "cursor")) parts=parts}} = {{part}}
{{/if}}  and not exists (
    select 1 from {{ident schema "capi_sync_ledger"}} as l
    where l.activation = {{param "activation"}} and l.event_id = v.{{ident "event_id"}} and l.sent_at >= {{macro "days_ago" days=ledger_days}}
  )


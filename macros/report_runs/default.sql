{{!-- The report's runs: the activation's runs of the last `days` days that tried to send (a skipped run
     or a reset sent nothing), how many failed, the events they sent, held back and had refused, and how
     long they took in seconds (mean and longest). With `bucket` (seconds), one row per bucket of start
     times, from its start (Unix seconds); without, one row for the whole period. Grouped by the
     alias: BigQuery does not match a repeated expression with the one selected. --}}
select {{#if bucket}}r.started - mod(r.started, {{bucket}}) as bucket_start, {{/if}}count(*) as runs,
  sum(case when r.status = 'failed' then 1 else 0 end) as failed,
  sum(r.sent) as sent, sum(r.held_back) as held_back, sum(r.refused) as refused, sum(r.retries) as retries,
  avg(r.seconds) as mean_seconds, max(r.seconds) as max_seconds, min(r.started) as first_start, max(r.started) as last_start
from (
  select {{macro "timestamp_seconds" "started_at"}} as started, status, coalesce(sent, 0) as sent,
    coalesce(rejected_by_view, 0) as held_back, coalesce(rejected_by_snap, 0) as refused, coalesce(retries, 0) as retries,
    {{macro "seconds_between" start="started_at" end="finished_at"}} as seconds
  from {{ident schema "capi_sync_runs"}}
  where activation = {{param "activation"}} and started_at >= {{macro "days_ago" days=days}} and status not in ('skipped', 'reset')
) as r
{{#if bucket}}group by bucket_start
order by bucket_start{{/if}}

{{!-- Match-key coverage: of the events Snap accepted for the activation in the last `days` days (by when
     they were sent), how many carried each user_data key of `keys` (the ledger's match_keys lists them
     comma-separated; `_` in a key matches any character, but every listed key is one of `keys`), and
     the newest event_time among them (Unix seconds) with the time now, for the lag. sent_at bounds the
     read to the recent ledger (BigQuery's partitions). --}}
select count(*) as sent,
{{#each keys}}  sum(case when concat(',', match_keys, ',') like '%,{{this}},%' then 1 else 0 end) as has_{{this}},
{{/each}}  max(event_time) as newest_event_time, {{macro "unix_now"}} as now_seconds
from {{ident schema "capi_sync_ledger"}}
where activation = {{param "activation"}} and status = 'accepted' and sent_at >= {{macro "days_ago" days=days}}

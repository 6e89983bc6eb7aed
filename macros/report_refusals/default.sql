{{!-- The events Snap refused for the activation in the last `days` days, by answer (HTTP status and
     message), most frequent first, at most `limit` answers: how many events, the last time (Unix
     seconds) and one event_id each; `events_in_all` and `answers` count every answer, past the limit too. --}}
select http_status, message, count(*) as events, max({{macro "timestamp_seconds" "recorded_at"}}) as last_at,
  min(event_id) as example_event_id, sum(count(*)) over () as events_in_all, count(*) over () as answers
from {{ident schema "capi_sync_delivery_errors"}}
where activation = {{param "activation"}} and recorded_at >= {{macro "days_ago" days=days}}
group by http_status, message
order by events desc, last_at desc, message
limit {{limit}}

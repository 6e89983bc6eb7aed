select count(*) as runs,
  sum(case when r.status = 'failed' then 1 else 0 end) as failed,
  sum(r.sent) as sent, sum(r.held_back) as held_back, sum(r.refused) as refused, sum(r.retries) as retries,
  avg(r.seconds) as mean_seconds, max(r.seconds) as max_seconds, min(r.started) as first_start, max(r.started) as last_start
from (
  select unix_seconds(started_at) as started, status, coalesce(sent, 0) as sent,
    coalesce(rejected_by_view, 0) as held_back, coalesce(rejected_by_snap, 0) as refused, coalesce(retries, 0) as retries,
    timestamp_diff(finished_at, started_at, millisecond) / 1000 as seconds
  from `my-project.capi_sync`.`capi_sync_runs`
  where activation = ? and started_at >= timestamp_sub(current_timestamp(), interval 30 day) and status not in ('skipped', 'reset')
) as r;

select r.started - mod(r.started, 3600) as bucket_start, count(*) as runs,
  sum(case when r.status = 'failed' then 1 else 0 end) as failed,
  sum(r.sent) as sent, sum(r.held_back) as held_back, sum(r.refused) as refused, sum(r.retries) as retries,
  avg(r.seconds) as mean_seconds, max(r.seconds) as max_seconds, min(r.started) as first_start, max(r.started) as last_start
from (
  select unix_seconds(started_at) as started, status, coalesce(sent, 0) as sent,
    coalesce(rejected_by_view, 0) as held_back, coalesce(rejected_by_snap, 0) as refused, coalesce(retries, 0) as retries,
    timestamp_diff(finished_at, started_at, millisecond) / 1000 as seconds
  from `my-project.capi_sync`.`capi_sync_runs`
  where activation = ? and started_at >= timestamp_sub(current_timestamp(), interval 30 day) and status not in ('skipped', 'reset')
) as r
group by bucket_start
order by bucket_start;

select count(*) as sent,
  sum(case when concat(',', match_keys, ',') like '%,em,%' then 1 else 0 end) as has_em,
  sum(case when concat(',', match_keys, ',') like '%,ph,%' then 1 else 0 end) as has_ph,
  sum(case when concat(',', match_keys, ',') like '%,fn,%' then 1 else 0 end) as has_fn,
  sum(case when concat(',', match_keys, ',') like '%,ln,%' then 1 else 0 end) as has_ln,
  sum(case when concat(',', match_keys, ',') like '%,ge,%' then 1 else 0 end) as has_ge,
  sum(case when concat(',', match_keys, ',') like '%,ct,%' then 1 else 0 end) as has_ct,
  sum(case when concat(',', match_keys, ',') like '%,st,%' then 1 else 0 end) as has_st,
  sum(case when concat(',', match_keys, ',') like '%,zp,%' then 1 else 0 end) as has_zp,
  sum(case when concat(',', match_keys, ',') like '%,country,%' then 1 else 0 end) as has_country,
  sum(case when concat(',', match_keys, ',') like '%,external_id,%' then 1 else 0 end) as has_external_id,
  sum(case when concat(',', match_keys, ',') like '%,client_ip_address,%' then 1 else 0 end) as has_client_ip_address,
  sum(case when concat(',', match_keys, ',') like '%,client_user_agent,%' then 1 else 0 end) as has_client_user_agent,
  sum(case when concat(',', match_keys, ',') like '%,sc_click_id,%' then 1 else 0 end) as has_sc_click_id,
  sum(case when concat(',', match_keys, ',') like '%,sc_cookie1,%' then 1 else 0 end) as has_sc_cookie1,
  sum(case when concat(',', match_keys, ',') like '%,mobile_ad_id,%' then 1 else 0 end) as has_mobile_ad_id,
  max(event_time) as newest_event_time, unix_seconds(current_timestamp()) as now_seconds
from `my-project.capi_sync`.`capi_sync_ledger`
where activation = ? and status = 'accepted' and sent_at >= timestamp_sub(current_timestamp(), interval 30 day);

select http_status, message, count(*) as events, max(unix_seconds(recorded_at)) as last_at,
  min(event_id) as example_event_id, sum(count(*)) over () as events_in_all, count(*) over () as answers
from `my-project.capi_sync`.`capi_sync_delivery_errors`
where activation = ? and recorded_at >= timestamp_sub(current_timestamp(), interval 30 day)
group by http_status, message
order by events desc, last_at desc, message
limit 20;

create schema if not exists `my-project.capi_sync`;

create table if not exists `my-project.capi_sync`.`capi_sync_state` (
  activation string not null,
  cursor string,
  event_id string,
  updated_at timestamp,
  lease_owner string,
  lease_expires_at timestamp
);

alter table `my-project.capi_sync`.`capi_sync_state` add column if not exists views_fingerprint string;

alter table `my-project.capi_sync`.`capi_sync_state` add column if not exists deployed_at timestamp;

alter table `my-project.capi_sync`.`capi_sync_state` add column if not exists alert_status string;

alter table `my-project.capi_sync`.`capi_sync_state` add column if not exists alert_changed_at timestamp;

alter table `my-project.capi_sync`.`capi_sync_state` add column if not exists ledger_pruned_at timestamp;

create table if not exists `my-project.capi_sync`.`capi_sync_runs` (
  run_id string not null,
  activation string not null,
  started_at timestamp not null,
  finished_at timestamp,
  status string not null,
  sent int64,
  rejected_by_view int64,
  rejected_by_snap int64,
  retries int64,
  batches int64,
  watermark_before string,
  watermark_after string,
  warnings string,
  error string
);

alter table `my-project.capi_sync`.`capi_sync_runs` add column if not exists note string;

create table if not exists `my-project.capi_sync`.`capi_sync_delivery_errors` (
  run_id string not null,
  activation string not null,
  event_id string,
  cursor string,
  http_status int64,
  message string,
  recorded_at timestamp
);

create table if not exists `my-project.capi_sync`.`capi_sync_ledger` (
  activation string not null,
  event_id string not null,
  cursor string,
  event_time int64,
  match_keys string,
  status string not null,
  run_id string not null,
  sent_at timestamp not null,
  payload_sha256 string
)
partition by date(sent_at)
cluster by activation, event_id;

select cursor, event_id, views_fingerprint, ledger_pruned_at from `my-project.capi_sync`.`capi_sync_state` where activation = ?;

update `my-project.capi_sync`.`capi_sync_runs` set status = 'abandoned', error = 'the runner stopped without finishing (killed?); the next run resumed from the saved watermark and the ledger' where activation = ? and status = 'running';

merge into `my-project.capi_sync`.`capi_sync_state` as s
using (select ? as activation, ? as cursor, ? as event_id) as w
on s.activation = w.activation
when matched then update set cursor = w.cursor, event_id = w.event_id, updated_at = current_timestamp()
when not matched then insert (activation, cursor, event_id, updated_at) values (w.activation, w.cursor, w.event_id, current_timestamp());

insert into `my-project.capi_sync`.`capi_sync_runs` (run_id, activation, started_at, status, watermark_before) values (?, ?, current_timestamp, 'running', ?);

merge into `my-project.capi_sync`.`capi_sync_ledger` as l
using (
  select json_value(e, '$.event_id') as event_id, json_value(e, '$.cursor') as cursor,
    safe_cast(json_value(e, '$.event_time') as int64) as event_time, json_value(e, '$.match_keys') as match_keys,
    json_value(e, '$.status') as status, json_value(e, '$.payload_sha256') as payload_sha256
  from unnest(json_query_array(?)) as e
) as w
on l.activation = ? and l.event_id = w.event_id and l.sent_at >= timestamp_sub(current_timestamp(), interval 8 day)
when not matched then insert (activation, event_id, cursor, event_time, match_keys, status, run_id, sent_at, payload_sha256)
  values (?, w.event_id, w.cursor, w.event_time, w.match_keys, w.status, ?, current_timestamp(), w.payload_sha256);

merge into `my-project.capi_sync`.`capi_sync_state` as s
using (select ? as activation, ? as cursor, ? as event_id) as w
on s.activation = w.activation
when matched then update set cursor = w.cursor, event_id = w.event_id, updated_at = current_timestamp()
when not matched then insert (activation, cursor, event_id, updated_at) values (w.activation, w.cursor, w.event_id, current_timestamp());

update `my-project.capi_sync`.`capi_sync_runs` set finished_at = current_timestamp, status = ?, sent = ?, rejected_by_view = ?, rejected_by_snap = ?, retries = ?, batches = ?, watermark_after = ?, warnings = ?, error = ?, note = ? where run_id = ?;

insert into `my-project.capi_sync`.`capi_sync_delivery_errors` (run_id, activation, event_id, cursor, http_status, message, recorded_at) values (?, ?, ?, ?, ?, ?, current_timestamp);

select run_id, started_at, finished_at, status, sent, rejected_by_snap, retries, watermark_after, error, note from `my-project.capi_sync`.`capi_sync_runs` where activation = ? order by started_at desc limit 5;

delete from `my-project.capi_sync`.`capi_sync_ledger`
where activation = ? and sent_at < timestamp_sub(current_timestamp(), interval 90 day);

merge into `my-project.capi_sync`.`capi_sync_state` as s
using (select ? as activation) as w
on s.activation = w.activation
when matched then update set ledger_pruned_at = current_timestamp()
when not matched then insert (activation, ledger_pruned_at) values (w.activation, current_timestamp());

select unix_seconds(current_timestamp()) as now_seconds, min(unix_seconds(started_at)) as first_run_at, max(case when sent > 0 then unix_seconds(finished_at) end) as last_sent_at from `my-project.capi_sync`.`capi_sync_runs` where activation = ? and status not in ('skipped', 'reset');

select max(event_time) as newest from `my-project.capi_sync`.`capi_sync_ledger` where activation = ? and status = 'accepted' and sent_at >= timestamp_sub(current_timestamp(), interval 21600 second);

select unix_seconds(started_at) as started_at, status from `my-project.capi_sync`.`capi_sync_runs` where activation = ? and status not in ('skipped', 'reset') order by started_at desc limit 1;

select alert_status, unix_seconds(alert_changed_at) as changed_at from `my-project.capi_sync`.`capi_sync_state` where activation = ?;

merge into `my-project.capi_sync`.`capi_sync_state` as s
using (select ? as activation, ? as alert_status) as w
on s.activation = w.activation
when matched then update set alert_status = w.alert_status, alert_changed_at = current_timestamp()
when not matched then insert (activation, alert_status, alert_changed_at) values (w.activation, w.alert_status, current_timestamp());

merge into `my-project.capi_sync`.`capi_sync_state` as s
using (select ? as activation, ? as views_fingerprint) as w
on s.activation = w.activation
when matched then update set views_fingerprint = w.views_fingerprint, deployed_at = current_timestamp()
when not matched then insert (activation, views_fingerprint, deployed_at) values (w.activation, w.views_fingerprint, current_timestamp());

update `my-project.capi_sync`.`capi_sync_state` set lease_owner = ?, lease_expires_at = timestamp_add(current_timestamp(), interval 600 second) where activation = ? and (lease_owner is null or lease_expires_at < current_timestamp());

update `my-project.capi_sync`.`capi_sync_state` set lease_owner = null, lease_expires_at = null where activation = ? and lease_owner = ?;

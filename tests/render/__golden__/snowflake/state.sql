create schema if not exists "CAPI_SYNC";

create table if not exists "CAPI_SYNC"."CAPI_SYNC_STATE" (
  activation varchar primary key,
  cursor varchar,
  event_id varchar,
  updated_at timestamp_tz,
  lease_owner varchar,
  lease_expires_at timestamp_tz
);

alter table "CAPI_SYNC"."CAPI_SYNC_STATE" add column if not exists views_fingerprint varchar;

alter table "CAPI_SYNC"."CAPI_SYNC_STATE" add column if not exists deployed_at timestamp_tz;

alter table "CAPI_SYNC"."CAPI_SYNC_STATE" add column if not exists alert_status varchar;

alter table "CAPI_SYNC"."CAPI_SYNC_STATE" add column if not exists alert_changed_at timestamp_tz;

alter table "CAPI_SYNC"."CAPI_SYNC_STATE" add column if not exists ledger_pruned_at timestamp_tz;

create table if not exists "CAPI_SYNC"."CAPI_SYNC_RUNS" (
  run_id varchar primary key,
  activation varchar not null,
  started_at timestamp_tz not null,
  finished_at timestamp_tz,
  status varchar not null,
  sent integer,
  rejected_by_view integer,
  rejected_by_snap integer,
  retries integer,
  batches integer,
  watermark_before varchar,
  watermark_after varchar,
  warnings varchar,
  error varchar
);

alter table "CAPI_SYNC"."CAPI_SYNC_RUNS" add column if not exists note varchar;

create table if not exists "CAPI_SYNC"."CAPI_SYNC_DELIVERY_ERRORS" (
  run_id varchar not null,
  activation varchar not null,
  event_id varchar,
  cursor varchar,
  http_status integer,
  message varchar,
  recorded_at timestamp_tz
);

create table if not exists "CAPI_SYNC"."CAPI_SYNC_LEDGER" (
  activation varchar not null,
  event_id varchar not null,
  cursor varchar,
  event_time integer,
  match_keys varchar,
  status varchar not null,
  run_id varchar not null,
  sent_at timestamp_tz not null,
  payload_sha256 varchar
)
cluster by (activation, to_date(sent_at));

select cursor, event_id, views_fingerprint, ledger_pruned_at from "CAPI_SYNC"."CAPI_SYNC_STATE" where activation = ?;

update "CAPI_SYNC"."CAPI_SYNC_RUNS" set status = 'abandoned', error = 'the runner stopped without finishing (killed?); the next run resumed from the saved watermark and the ledger' where activation = ? and status = 'running';

merge into "CAPI_SYNC"."CAPI_SYNC_STATE" as s
using (select ? as activation, ? as cursor, ? as event_id) as w
on s.activation = w.activation
when matched then update set cursor = w.cursor, event_id = w.event_id, updated_at = current_timestamp()
when not matched then insert (activation, cursor, event_id, updated_at) values (w.activation, w.cursor, w.event_id, current_timestamp());

insert into "CAPI_SYNC"."CAPI_SYNC_RUNS" (run_id, activation, started_at, status, watermark_before) values (?, ?, current_timestamp, 'running', ?);

merge into "CAPI_SYNC"."CAPI_SYNC_LEDGER" as l
using (
  select e.value:event_id::varchar as event_id, e.value:cursor::varchar as cursor,
    try_to_number(e.value:event_time::varchar) as event_time, e.value:match_keys::varchar as match_keys,
    e.value:status::varchar as status, e.value:payload_sha256::varchar as payload_sha256
  from table(flatten(input => parse_json(?))) as e
) as w
on l.activation = ? and l.event_id = w.event_id and l.sent_at >= dateadd(day, -8, current_timestamp())
when not matched then insert (activation, event_id, cursor, event_time, match_keys, status, run_id, sent_at, payload_sha256)
  values (?, w.event_id, w.cursor, w.event_time, w.match_keys, w.status, ?, current_timestamp(), w.payload_sha256);

merge into "CAPI_SYNC"."CAPI_SYNC_STATE" as s
using (select ? as activation, ? as cursor, ? as event_id) as w
on s.activation = w.activation
when matched then update set cursor = w.cursor, event_id = w.event_id, updated_at = current_timestamp()
when not matched then insert (activation, cursor, event_id, updated_at) values (w.activation, w.cursor, w.event_id, current_timestamp());

update "CAPI_SYNC"."CAPI_SYNC_RUNS" set finished_at = current_timestamp, status = ?, sent = ?, rejected_by_view = ?, rejected_by_snap = ?, retries = ?, batches = ?, watermark_after = ?, warnings = ?, error = ?, note = ? where run_id = ?;

insert into "CAPI_SYNC"."CAPI_SYNC_DELIVERY_ERRORS" (run_id, activation, event_id, cursor, http_status, message, recorded_at) values (?, ?, ?, ?, ?, ?, current_timestamp);

select run_id, started_at, finished_at, status, sent, rejected_by_snap, retries, watermark_after, error, note from "CAPI_SYNC"."CAPI_SYNC_RUNS" where activation = ? order by started_at desc limit 5;

delete from "CAPI_SYNC"."CAPI_SYNC_LEDGER"
where activation = ? and sent_at < dateadd(day, -90, current_timestamp());

merge into "CAPI_SYNC"."CAPI_SYNC_STATE" as s
using (select ? as activation) as w
on s.activation = w.activation
when matched then update set ledger_pruned_at = current_timestamp()
when not matched then insert (activation, ledger_pruned_at) values (w.activation, current_timestamp());

select date_part(epoch_second, current_timestamp()) as now_seconds, min(date_part(epoch_second, started_at)) as first_run_at, max(case when sent > 0 then date_part(epoch_second, finished_at) end) as last_sent_at from "CAPI_SYNC"."CAPI_SYNC_RUNS" where activation = ? and status not in ('skipped', 'reset');

select max(event_time) as newest from "CAPI_SYNC"."CAPI_SYNC_LEDGER" where activation = ? and status = 'accepted' and sent_at >= dateadd(second, -21600, current_timestamp());

select date_part(epoch_second, started_at) as started_at, status from "CAPI_SYNC"."CAPI_SYNC_RUNS" where activation = ? and status not in ('skipped', 'reset') order by started_at desc limit 1;

select alert_status, date_part(epoch_second, alert_changed_at) as changed_at from "CAPI_SYNC"."CAPI_SYNC_STATE" where activation = ?;

merge into "CAPI_SYNC"."CAPI_SYNC_STATE" as s
using (select ? as activation, ? as alert_status) as w
on s.activation = w.activation
when matched then update set alert_status = w.alert_status, alert_changed_at = current_timestamp()
when not matched then insert (activation, alert_status, alert_changed_at) values (w.activation, w.alert_status, current_timestamp());

merge into "CAPI_SYNC"."CAPI_SYNC_STATE" as s
using (select ? as activation, ? as views_fingerprint) as w
on s.activation = w.activation
when matched then update set views_fingerprint = w.views_fingerprint, deployed_at = current_timestamp()
when not matched then insert (activation, views_fingerprint, deployed_at) values (w.activation, w.views_fingerprint, current_timestamp());

update "CAPI_SYNC"."CAPI_SYNC_STATE" set lease_owner = ?, lease_expires_at = dateadd(second, 600, current_timestamp()) where activation = ? and (lease_owner is null or lease_expires_at < current_timestamp());

update "CAPI_SYNC"."CAPI_SYNC_STATE" set lease_owner = null, lease_expires_at = null where activation = ? and lease_owner = ?;

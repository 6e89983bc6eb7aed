{{!-- capi-sync's own tables, one statement each (separated by a line holding only ";"). BigQuery has no
     enforced primary key: the runner's MERGE keeps one row per activation. Columns added since a table
     was first created come after it as `add column if not exists`. --}}
create table if not exists {{ident schema "capi_sync_state"}} (
  activation string not null,
  cursor string,
  event_id string,
  updated_at timestamp,
  lease_owner string,
  lease_expires_at timestamp
)
;
alter table {{ident schema "capi_sync_state"}} add column if not exists views_fingerprint string
;
alter table {{ident schema "capi_sync_state"}} add column if not exists deployed_at timestamp
;
alter table {{ident schema "capi_sync_state"}} add column if not exists alert_status string
;
alter table {{ident schema "capi_sync_state"}} add column if not exists alert_changed_at timestamp
;
alter table {{ident schema "capi_sync_state"}} add column if not exists ledger_pruned_at timestamp
;
create table if not exists {{ident schema "capi_sync_runs"}} (
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
)
;
alter table {{ident schema "capi_sync_runs"}} add column if not exists note string
;
create table if not exists {{ident schema "capi_sync_delivery_errors"}} (
  run_id string not null,
  activation string not null,
  event_id string,
  cursor string,
  http_status int64,
  message string,
  recorded_at timestamp
)
;
{{!-- One row per event Snap accepted or refused on its own. Partitioned by day of sending and clustered
     by activation and event_id: the read's anti-join names the partitions it needs, so a run scans the
     recent ledger only. https://cloud.google.com/bigquery/docs/partitioned-tables --}}
create table if not exists {{ident schema "capi_sync_ledger"}} (
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
cluster by activation, event_id

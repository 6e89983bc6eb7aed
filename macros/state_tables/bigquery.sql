{{!-- capi-sync's own tables, one statement each (separated by a line holding only ";"). BigQuery has no
     enforced primary key: the runner's MERGE keeps one row per activation. --}}
create table if not exists {{ident schema "capi_sync_state"}} (
  activation string not null,
  cursor string,
  event_id string,
  updated_at timestamp,
  lease_owner string,
  lease_expires_at timestamp
)
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
create table if not exists {{ident schema "capi_sync_delivery_errors"}} (
  run_id string not null,
  activation string not null,
  event_id string,
  cursor string,
  http_status int64,
  message string,
  recorded_at timestamp
)

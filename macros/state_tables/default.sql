{{!-- capi-sync's own tables, one statement each (separated by a line holding only ";"). --}}
create table if not exists {{ident schema "capi_sync_state"}} (
  activation text primary key,
  cursor text,
  event_id text,
  updated_at timestamptz,
  lease_owner text,
  lease_expires_at timestamptz
)
;
create table if not exists {{ident schema "capi_sync_runs"}} (
  run_id text primary key,
  activation text not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  status text not null,
  sent bigint,
  rejected_by_view bigint,
  rejected_by_snap bigint,
  retries bigint,
  batches bigint,
  watermark_before text,
  watermark_after text,
  warnings text,
  error text
)
;
create table if not exists {{ident schema "capi_sync_delivery_errors"}} (
  run_id text not null,
  activation text not null,
  event_id text,
  cursor text,
  http_status integer,
  message text,
  recorded_at timestamptz
)

{{!-- capi-sync's own tables, one statement each (separated by a line holding only ";"). Columns added
     since a table was first created come after it as `add column if not exists`, so an older deploy is
     brought up to date by the next one. --}}
create table if not exists {{ident schema "capi_sync_state"}} (
  activation text primary key,
  cursor text,
  event_id text,
  updated_at timestamptz,
  lease_owner text,
  lease_expires_at timestamptz
)
;
alter table {{ident schema "capi_sync_state"}} add column if not exists views_fingerprint text
;
alter table {{ident schema "capi_sync_state"}} add column if not exists deployed_at timestamptz
;
alter table {{ident schema "capi_sync_state"}} add column if not exists alert_status text
;
alter table {{ident schema "capi_sync_state"}} add column if not exists alert_changed_at timestamptz
;
alter table {{ident schema "capi_sync_state"}} add column if not exists ledger_pruned_at timestamptz
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
alter table {{ident schema "capi_sync_runs"}} add column if not exists note text
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
;
{{!-- One row per event Snap accepted or refused on its own, written as it answers. The primary key is
     the index the runner's read uses to leave out what was already sent. --}}
create table if not exists {{ident schema "capi_sync_ledger"}} (
  activation text not null,
  event_id text not null,
  cursor text,
  event_time bigint,
  match_keys text,
  status text not null,
  run_id text not null,
  sent_at timestamptz not null,
  payload_sha256 text,
  primary key (activation, event_id)
)

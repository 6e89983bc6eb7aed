{{!-- capi-sync's own tables, one statement each (separated by a line holding only ";"). Column names are
     unquoted (stored upper-case) as the runner's statements write them; Snowflake does not enforce the
     primary key: the runner's MERGE keeps one row per activation. Columns added since a table was first
     created come after it as `add column if not exists`. --}}
create table if not exists {{ident schema "capi_sync_state"}} (
  activation varchar primary key,
  cursor varchar,
  event_id varchar,
  updated_at timestamp_tz,
  lease_owner varchar,
  lease_expires_at timestamp_tz
)
;
alter table {{ident schema "capi_sync_state"}} add column if not exists views_fingerprint varchar
;
alter table {{ident schema "capi_sync_state"}} add column if not exists deployed_at timestamp_tz
;
alter table {{ident schema "capi_sync_state"}} add column if not exists alert_status varchar
;
alter table {{ident schema "capi_sync_state"}} add column if not exists alert_changed_at timestamp_tz
;
alter table {{ident schema "capi_sync_state"}} add column if not exists ledger_pruned_at timestamp_tz
;
create table if not exists {{ident schema "capi_sync_runs"}} (
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
)
;
alter table {{ident schema "capi_sync_runs"}} add column if not exists note varchar
;
create table if not exists {{ident schema "capi_sync_delivery_errors"}} (
  run_id varchar not null,
  activation varchar not null,
  event_id varchar,
  cursor varchar,
  http_status integer,
  message varchar,
  recorded_at timestamp_tz
)
;
{{!-- One row per event Snap accepted or refused on its own. Clustered by activation and day, so the
     read's anti-join and the retention prune touch the recent micro-partitions only.
     https://docs.snowflake.com/en/user-guide/tables-clustering-keys --}}
create table if not exists {{ident schema "capi_sync_ledger"}} (
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
cluster by (activation, to_date(sent_at))

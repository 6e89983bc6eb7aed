{{!-- capi-sync's own tables, one statement each (separated by a line holding only ";"). Column names are
     unquoted (stored upper-case) as the runner's statements write them; Snowflake does not enforce the
     primary key: the runner's MERGE keeps one row per activation. --}}
create table if not exists {{ident schema "capi_sync_state"}} (
  activation varchar primary key,
  cursor varchar,
  event_id varchar,
  updated_at timestamp_tz,
  lease_owner varchar,
  lease_expires_at timestamp_tz
)
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
create table if not exists {{ident schema "capi_sync_delivery_errors"}} (
  run_id varchar not null,
  activation varchar not null,
  event_id varchar,
  cursor varchar,
  http_status integer,
  message varchar,
  recorded_at timestamp_tz
)

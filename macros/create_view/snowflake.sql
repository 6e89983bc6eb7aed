{{!-- Replaced in place, keeping its grants: a view dropped and created again loses every privilege
     granted on it (an auditor's `grant select on all views in schema` would have to be run after every
     deploy). Snowflake views bind late, so the views that read this one need not be dropped first
     (drop_view renders nothing here). https://docs.snowflake.com/en/sql-reference/sql/create-view --}}
create or replace view {{ident schema view}} copy grants

{{!-- Every row of the activation, mapped, normalised and hashed, with the first reason it is held back
     (null when it is sent) and the exact event Snap receives. The outbound and rejected views read it.
     Stages: m, every mapped column as trimmed text (null when empty); n, each field as Snap wants it;
     e, the event_id (which may hash the normalised fields). Then the first failing reason, in the
     order the README lists them, and the payload. --}}
{{#*inline "cursor"}}{{#if source_cursor}}{{ident "source_cursor"}}{{else}}{{event_time}}{{/if}}{{/inline}}
{{macro "create_view" schema=schema view=view}} as
with m as (
  select
{{#each mapped}}    {{macro "as_text" expr}} as {{ident name}},
{{/each}}    {{#if source_cursor}}{{source_cursor}}{{else}}null{{/if}} as {{ident "source_cursor"}}
  from (
{{source_sql}}
  ) as src
),
n as (
  select
{{#each normalised}}    {{sql}} as {{ident name}},
{{/each}}    {{ident "source_cursor"}},
    {{macro "unix_now"}} as {{ident "now_s"}}
  from m
),
e as (
  select n.*, {{event_id}} as {{ident "event_id"}}
  from n
)
select
  {{event_id_ref}} as {{ident "event_id"}},
  {{> cursor}} as {{ident "cursor"}},
  {{event_time}} as {{ident "event_time"}},
  case
{{#each reasons}}    when {{when}} then '{{reason}}'
{{/each}}    when {{> cursor}} is null then 'missing_cursor'
  end as {{ident "reason"}},
  {{match_keys}} as {{ident "match_keys"}},
  {{macro "json_to_text" payload}} as {{ident "payload"}}
from e

{{!-- The same view as default.sql, shaped for Postgres (and PGlite). Postgres inlines CTEs and has no
     common-subexpression elimination, so in default.sql's chain every reference to a computed column
     computes it again (the outbound view ran ~10× slower). Here each stage is a LATERAL subquery with
     OFFSET 0, which Postgres does not flatten: it is computed once per row. The cursor is read from the
     source directly, so a watermark filter still reaches the table scan and an index on the cursor.
     https://www.postgresql.org/docs/current/queries-table-expressions.html#QUERIES-LATERAL --}}
{{#*inline "cursor"}}{{#if source_cursor}}{{source_cursor}}{{else}}{{event_time}}{{/if}}{{/inline}}
create view {{ident schema view}} as
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
from (
{{source_sql}}
) as src
cross join lateral (
  select
{{#each mapped}}    {{macro "as_text" expr}} as {{ident name}}{{#unless @last}},{{/unless}}
{{/each}}  offset 0
) as m
{{!-- The event_id is computed in the same stage as the fields it may hash: as a LATERAL stage of its
     own, Postgres put a Memoize node over it that never hits (one event_id per row) and cost ~8%. --}}
cross join lateral (
  select n.*, {{event_id}} as {{ident "event_id"}}
  from (
    select
{{#each normalised}}      {{sql}} as {{ident name}},
{{/each}}      {{macro "unix_now"}} as {{ident "now_s"}}
    offset 0
  ) as n
  offset 0
) as n

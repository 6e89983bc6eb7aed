{{!-- Every row of the activation, mapped, normalised and hashed, with the first reason it is held back
     (null when it is sent) and the exact event Snap receives. The outbound and rejected views read it.
     mapped: every column as trimmed text (null when empty); normalised: each field as Snap wants it;
     checked: the event_id (which may hash the normalised fields) and the first failing reason, in the
     order the README lists them. --}}
{{#*inline "cursor"}}{{#if source_cursor}}{{ident "source_cursor"}}{{else}}{{ident "event_time"}}{{/if}}{{/inline}}
create view {{ident schema view}} as
with source as (
{{source_sql}}
),
mapped as (
  select
{{#each mapped}}    {{macro "as_text" expr}} as {{ident name}},
{{/each}}    {{#if source_cursor}}{{source_cursor}}{{else}}null{{/if}} as {{ident "source_cursor"}}
  from source as src
),
normalised as (
  select
{{#each normalised}}    {{sql}} as {{ident name}},
{{/each}}    {{ident "source_cursor"}},
    {{macro "unix_now"}} as {{ident "now_s"}}
  from mapped
),
checked as (
  select
    normalised.*,
    {{event_id}} as {{ident "event_id"}},
    case
      when {{ident "event_time"}} is null then 'missing_event_time'
      when {{ident "event_name"}} is null then 'invalid_event_name'
      when {{ident "event_time"}} > {{ident "now_s"}} then 'event_in_future'
      when {{ident "event_time"}} < {{ident "now_s"}} - {{max_age_seconds}} then 'event_too_old'
      when {{ident "event_name"}} = 'PURCHASE' and {{ident "value"}} is null then 'missing_value'
      when {{ident "event_name"}} = 'PURCHASE' and {{ident "currency_text"}} is null then 'missing_currency'
      when {{ident "event_name"}} = 'PURCHASE' and {{ident "currency"}} is null then 'invalid_currency'
      when {{no_identifier}} then 'no_user_identifier'
      when {{> cursor}} is null then 'missing_cursor'
    end as {{ident "reason"}}
  from normalised
)
select
  {{ident "event_id"}},
  {{> cursor}} as {{ident "cursor"}},
  {{ident "event_time"}},
  {{ident "reason"}},
  {{macro "json_to_text" payload}} as {{ident "payload"}}
from checked

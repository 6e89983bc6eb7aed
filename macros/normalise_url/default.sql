{{!-- A page URL as written, when it is one: http:// or https:// (any case) and a host; else left out.
     ~* is Postgres's case-insensitive match. --}}
case when {{value}} ~* '^https?://[^[:space:]/?#]+' then {{value}} end

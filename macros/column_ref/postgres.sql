{{!-- Qualified by its stage: the LATERAL stages of prepared_view/postgres.sql all see the source's
     columns too, which may have the same names (a model selects email, phone, ...). --}}
{{stage}}.{{ident name}}
